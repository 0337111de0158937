import { authenticate, keyNeeded } from "../../../src/api/auth.js";
import { UnauthorizedError } from "../../../src/api/http-errors.js";
import { constantTimeEqual as keyMatches } from "../../../src/auth/constant-time-equal.js";

const key = "correct-horse-battery-staple";

describe("keyMatches", () => {
  it("accepts only the exact key, whatever the lengths", () => {
    expect(keyMatches(key, key)).toBe(true);
    expect(keyMatches(key.slice(0, -1), key)).toBe(false);
    expect(keyMatches(`${key}x`, key)).toBe(false);
    expect(keyMatches("", key)).toBe(false);
    expect(keyMatches(key.toUpperCase(), key)).toBe(false);
  });
});

describe("authenticate", () => {
  it("treats a request without Authorization as anonymous", () => {
    expect(authenticate(undefined, key)).toEqual({ key: false });
    expect(authenticate(undefined, undefined)).toEqual({ key: false });
  });

  it("recognises the right key, with any case of the scheme", () => {
    expect(authenticate(`Bearer ${key}`, key)).toEqual({ key: true });
    expect(authenticate(`bearer  ${key}`, key)).toEqual({ key: true });
  });

  it.each([
    [`Bearer wrong-key-of-some-length`, /wrong/],
    [`Bearer ${key}x`, /wrong/],
    [`Basic ${Buffer.from(`u:${key}`).toString("base64")}`, /Bearer/],
    [key, /Bearer/],
    ["Bearer", /Bearer/],
    ["", /Bearer/],
    [`Bearer ${key} extra`, /Bearer/],
  ])("refuses %j with a 401 instead of reading it as anonymous", (header, reason) => {
    expect(() => authenticate(header, key)).toThrow(UnauthorizedError);
    expect(() => authenticate(header, key)).toThrow(reason);
  });

  it("refuses any key when the server has none, and says so", () => {
    expect(() => authenticate(`Bearer ${key}`, undefined)).toThrow(/GITDISK_API_KEY is not set/);
  });
});

describe("keyNeeded", () => {
  it("says how to send the key, or that the server has none", () => {
    expect(keyNeeded(key, "reading a.md").message).toMatch(/^reading a\.md needs the API key: send Authorization: Bearer/);
    expect(keyNeeded(undefined, "reading a.md").message).toMatch(/GITDISK_API_KEY is not set on this server/);
    expect(keyNeeded(key, "x").status).toBe(401);
  });
});
