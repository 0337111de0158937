import { signSession } from "../../../src/auth/session-tokens.js";
import {
  newNonce,
  SIGN_IN_STATE_LIFETIME_SECONDS,
  signSignInState,
  UsedNonces,
  verifySignInState,
} from "../../../src/auth/sign-in-state.js";
import { TokenError } from "../../../src/auth/signed-tokens.js";

const SECRETS = { current: "s".repeat(32) };
const NOW = Date.UTC(2025, 0, 1);
const state = { nonce: newNonce(), repoId: 7, repo: "octo/site", redirect: "https://site.example/after" };

describe("the sign-in state", () => {
  it("round-trips for ten minutes, then is refused as expired", async () => {
    const { token, expiresAt } = await signSignInState(state, SECRETS, NOW);
    expect(expiresAt).toBe(NOW + SIGN_IN_STATE_LIFETIME_SECONDS * 1000);
    expect(await verifySignInState(token, SECRETS, NOW)).toEqual({ ...state, expiresAt });
    await expect(verifySignInState(token, SECRETS, expiresAt + 1000)).rejects.toThrow("the sign-in state has expired");
  });

  it("is refused when tampered with, signed by another secret, or a session token", async () => {
    const { token } = await signSignInState(state, SECRETS, NOW);
    const [header, , signature] = token.split(".");
    const evil = Buffer.from(JSON.stringify({ non: state.nonce, rid: 7, rep: "octo/site", red: "https://evil.example/" })).toString(
      "base64url",
    );
    await expect(verifySignInState(`${header}.${evil}.${signature}`, SECRETS, NOW)).rejects.toBeInstanceOf(TokenError);
    await expect(verifySignInState(token, { current: "t".repeat(32) }, NOW)).rejects.toThrow(/signature/);
    const session = await signSession({ login: "a", userId: 1, repoId: 7, admin: false }, SECRETS, NOW);
    await expect(verifySignInState(session.token, SECRETS, NOW)).rejects.toThrow("was not issued for this use");
  });

  it("makes nonces of 32 URL-safe characters that do not repeat", () => {
    expect(newNonce()).toMatch(/^[\w-]{32}$/);
    expect(newNonce()).not.toBe(newNonce());
  });
});

describe("UsedNonces", () => {
  it("accepts a nonce once until it expires", () => {
    const used = new UsedNonces();
    expect(used.useOnce("a", NOW + 10, NOW)).toBe(true);
    expect(used.useOnce("a", NOW + 10, NOW + 5)).toBe(false);
    // Past its expiry the state carrying it is refused anyway; the memory may forget it.
    expect(used.useOnce("a", NOW + 30, NOW + 10)).toBe(true);
  });

  it("stays within its capacity, dropping expired nonces first, then the oldest", () => {
    const used = new UsedNonces(3);
    used.useOnce("old", NOW + 1, NOW);
    used.useOnce("b", NOW + 100, NOW);
    used.useOnce("c", NOW + 100, NOW);
    expect(used.useOnce("d", NOW + 100, NOW + 50)).toBe(true);
    expect(used.size).toBe(3);
    expect(used.useOnce("b", NOW + 100, NOW + 50)).toBe(false);
    expect(used.useOnce("e", NOW + 100, NOW + 50)).toBe(true);
    expect(used.size).toBe(3);
    // "b" was the oldest still remembered: forgotten to make room.
    expect(used.useOnce("b", NOW + 100, NOW + 50)).toBe(true);
  });
});
