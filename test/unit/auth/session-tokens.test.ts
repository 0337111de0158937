import { SignJWT } from "jose";
import { looksLikeSessionToken, SESSION_LIFETIME_SECONDS, signSession, verifySession } from "../../../src/auth/session-tokens.js";
import { signSignInState } from "../../../src/auth/sign-in-state.js";
import { keyIdOf, TokenError } from "../../../src/auth/signed-tokens.js";
import { ADMIN_FRESHNESS_MS, actsAsAdmin } from "../../../src/auth/visitor-session.js";

const OLD = "o".repeat(32);
const NEW = "n".repeat(32);
const NOW = Date.UTC(2025, 0, 1);
const grant = { login: "alice", userId: 1, repoId: 7, admin: true };

async function problemOf(attempt: Promise<unknown>): Promise<string> {
  const error = await attempt.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TokenError);
  return (error as TokenError).problem;
}

describe("session tokens", () => {
  it("carry the visitor, the repository and admin rights for seven days", async () => {
    const { token, expiresAt } = await signSession(grant, { current: NEW }, NOW);
    expect(looksLikeSessionToken(token)).toBe(true);
    expect(expiresAt).toBe(NOW + SESSION_LIFETIME_SECONDS * 1000);
    expect(await verifySession(token, "bearer", { current: NEW }, NOW)).toEqual({ ...grant, via: "bearer", expiresAt, signedInAt: NOW });
    const [header] = token.split(".");
    expect(JSON.parse(Buffer.from(header!, "base64url").toString())).toEqual({ alg: "HS256", kid: keyIdOf(NEW) });
    expect(keyIdOf(NEW)).toMatch(/^[0-9a-f]{16}$/);
  });

  it("still verify with the previous secret during a rotation, and not once it is dropped (a remembered check included)", async () => {
    const { token } = await signSession(grant, { current: OLD }, NOW);
    expect(await verifySession(token, "cookie", { current: NEW, previous: OLD }, NOW)).toMatchObject({ login: "alice", via: "cookie" });
    expect(await problemOf(verifySession(token, "cookie", { current: NEW }, NOW))).toBe("bad-signature");
  });

  it("are refused when expired, forged, malformed or issued for another use", async () => {
    const { token } = await signSession(grant, { current: NEW }, NOW);
    // Verified once (and remembered), it still expires.
    await verifySession(token, "bearer", { current: NEW }, NOW);
    expect(await problemOf(verifySession(token, "bearer", { current: NEW }, NOW + SESSION_LIFETIME_SECONDS * 1000 + 1000))).toBe("expired");
    const [header, payload, signature] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: "mallory", adm: true })).toString("base64url");
    expect(await problemOf(verifySession(`${header}.${forged}.${signature}`, "bearer", { current: NEW }, NOW))).toBe("bad-signature");
    expect(await problemOf(verifySession("eyJ.bm90IGpzb24.x", "bearer", { current: NEW }, NOW))).toBe("malformed");
    const state = await signSignInState(
      { nonce: "n", repoId: 7, repo: "octo/site", redirect: "https://site.example/" },
      { current: NEW },
      NOW,
    );
    expect(await problemOf(verifySession(state.token, "bearer", { current: NEW }, NOW))).toBe("wrong-audience");
  });

  it("refuse a token of another algorithm or without the claims a session needs", async () => {
    const key = new TextEncoder().encode(NEW);
    const base = () =>
      new SignJWT({ uid: 1, rid: 7 })
        .setIssuer("gitdisk")
        .setAudience("gitdisk-session")
        .setSubject("alice")
        .setExpirationTime(NOW / 1000 + 60);
    const otherAlgorithm = await base()
      .setProtectedHeader({ alg: "HS512", kid: keyIdOf(NEW) })
      .sign(key);
    expect(await problemOf(verifySession(otherAlgorithm, "bearer", { current: NEW }, NOW))).toBe("bad-signature");
    const noAdminClaim = await base()
      .setProtectedHeader({ alg: "HS256", kid: keyIdOf(NEW) })
      .sign(key);
    expect(await problemOf(verifySession(noAdminClaim, "bearer", { current: NEW }, NOW))).toBe("malformed");
    const noKid = await base().setProtectedHeader({ alg: "HS256" }).sign(key);
    expect(await problemOf(verifySession(noKid, "bearer", { current: NEW }, NOW))).toBe("bad-signature");
  });

  it("say what is wrong in the message", async () => {
    const { token } = await signSession(grant, { current: NEW }, NOW);
    await expect(verifySession(token, "bearer", { current: NEW }, NOW + 8 * 24 * 3600 * 1000)).rejects.toThrow(
      "the session token has expired",
    );
  });

  it("are told from site keys and the operator's key by their shape", () => {
    expect(looksLikeSessionToken("gdk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).toBe(false);
    expect(looksLikeSessionToken("operator-key-0123456789abcdef")).toBe(false);
    expect(looksLikeSessionToken("eyJ.a.b")).toBe(true);
  });
});

describe("actsAsAdmin", () => {
  const admin = { login: "alice", userId: 1, repoId: 7, admin: true, via: "bearer" as const, signedInAt: 1_000_000 };

  it("trusts admin rights for an hour after sign-in, then asks for a new sign-in", () => {
    expect(actsAsAdmin(admin, admin.signedInAt + ADMIN_FRESHNESS_MS)).toBe(true);
    expect(actsAsAdmin(admin, admin.signedInAt + ADMIN_FRESHNESS_MS + 1)).toBe(false);
    expect(actsAsAdmin({ ...admin, admin: false }, admin.signedInAt)).toBe(false);
    const { signedInAt: _unknown, ...undated } = admin;
    expect(actsAsAdmin(undated, admin.signedInAt)).toBe(false);
  });
});
