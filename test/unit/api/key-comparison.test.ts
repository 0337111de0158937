import { jest } from "@jest/globals";

// node:crypto with timingSafeEqual watched, so the test sees how auth.ts compares keys.
const crypto = await import("node:crypto");
const timingSafeEqual = jest.fn(crypto.timingSafeEqual);
jest.unstable_mockModule("node:crypto", () => ({ ...crypto, default: crypto, timingSafeEqual }));
const { authenticate } = await import("../../../src/api/auth.js");
const { constantTimeEqual: keyMatches } = await import("../../../src/auth/constant-time-equal.js");

const key = "correct-horse-battery-staple";

describe("the API key comparison", () => {
  beforeEach(() => timingSafeEqual.mockClear());

  it("compares in constant time, always on two buffers of one length", () => {
    for (const presented of [key, key.slice(0, -1), `${key}x`, "", "k".repeat(4096)]) {
      expect(keyMatches(presented, key)).toBe(presented === key);
    }
    expect(timingSafeEqual).toHaveBeenCalledTimes(5);
    for (const [a, b] of timingSafeEqual.mock.calls as Array<[Buffer, Buffer]>) expect(a.length).toBe(b.length);
  });

  it("refuses a key of another length with a 401, not a throw from the comparison", () => {
    expect(() => authenticate(`Bearer ${key}-longer`, key)).toThrow(
      expect.objectContaining({ status: 401, message: "the API key is wrong" }),
    );
    expect(timingSafeEqual).toHaveBeenCalledTimes(1);
  });
});
