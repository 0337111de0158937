import { actorOf } from "../../../src/api/actor-of.js";
import type { SignInDeps } from "../../../src/api/api-types.js";
import { authenticateRequest } from "../../../src/api/auth.js";
import { signSession } from "../../../src/auth/session-tokens.js";
import { UsedNonces } from "../../../src/auth/sign-in-state.js";
import { captureLog } from "../../helpers/capture-log.js";
import { testConfig } from "../../helpers/test-config.js";

const NOW = Date.UTC(2025, 0, 1);
const SECRET = "s".repeat(32);
const signIn = {
  config: { sessionSecret: SECRET, previousSessionSecret: undefined },
  now: () => NOW,
  usedNonces: new UsedNonces(),
} as unknown as SignInDeps;
const grant = { login: "alice", userId: 11, repoId: 7, admin: false };
const { log } = captureLog();
/** A request's method and headers, as the route wrapper hands them over. */
const get = (headers: Record<string, string>, method = "GET") => ({ method, headers });

describe("authenticateRequest", () => {
  it("takes a JWT-shaped bearer as a session, and the cookie when there is no Authorization", async () => {
    const { token } = await signSession(grant, { current: SECRET }, NOW);
    const deps = { config: testConfig({ apiKey: "operator-key-0123456789" }), signIn, log };
    expect(await authenticateRequest(get({ authorization: `Bearer ${token}` }), deps, NOW)).toEqual({
      key: false,
      session: { ...grant, via: "bearer", expiresAt: expect.any(Number), signedInAt: NOW },
    });
    expect(await authenticateRequest(get({ cookie: `gitdisk_session=${token}` }), deps, NOW)).toMatchObject({ session: { via: "cookie" } });
    // Authorization wins over the cookie: a bad bearer is not rescued by a good cookie.
    await expect(
      authenticateRequest(get({ authorization: "Bearer wrong-key-0123456789", cookie: `gitdisk_session=${token}` }), deps, NOW),
    ).rejects.toThrow("the API key is wrong");
  });

  it("tries the operator's key first, even when it looks like a JWT", async () => {
    const operator = "eyJoperator.key.thatlookslikeajwt";
    expect(
      await authenticateRequest(
        get({ authorization: `Bearer ${operator}` }),
        { config: testConfig({ apiKey: operator }), signIn, log },
        NOW,
      ),
    ).toEqual({
      key: true,
    });
  });

  it("ignores a session cookie when sign-in is off, and refuses a session bearer then", async () => {
    const { token } = await signSession(grant, { current: SECRET }, NOW);
    expect(await authenticateRequest(get({ cookie: `gitdisk_session=${token}` }), { config: testConfig(), log }, NOW)).toEqual({
      key: false,
    });
    await expect(authenticateRequest(get({ authorization: `Bearer ${token}` }), { config: testConfig(), log }, NOW)).rejects.toThrow(
      /not enabled/,
    );
  });
});

describe("actorOf a session", () => {
  it("is session:<login> in its own repository, nobody elsewhere", () => {
    const access = { key: false, session: { ...grant, via: "cookie" as const } };
    expect(actorOf(access, 7)).toBe("session:alice");
    expect(actorOf(access, 8)).toBeNull();
  });
});
