import nock from "nock";
import type { ApiResponse, SignInDeps } from "../../../src/api/api-types.js";
import { createSignInDeps } from "../../../src/api/sign-in-deps.js";
import type { GithubUser } from "../../../src/auth/github-user.js";
import { SESSION_LIFETIME_SECONDS, signSession } from "../../../src/auth/session-tokens.js";
import type { SignInConfig } from "../../../src/config/sign-in-config.js";
import type { RepoState } from "../../../src/store/store.js";
import { captureLog, type LogLine } from "../../helpers/capture-log.js";
import { type InProcessApi, type InProcessRequest, inProcessApi } from "../../helpers/in-process-api.js";
import { testConfig } from "../../helpers/test-config.js";
import { createHarness, type Harness, REPO_ID, TEST_CONFIG } from "../writeback/writeback-harness.js";

const OPERATOR = "operator-key-0123456789abcdef";
const SITE = "https://site.example";
const OTHER_ID = 8;
const SECRET = "s".repeat(32);
const SIGN_IN: SignInConfig = {
  clientId: "Iv1.abc",
  clientSecret: "client-secret",
  sessionSecret: SECRET,
  previousSessionSecret: undefined,
  publicUrl: "https://data.example.com",
  callbackUrl: "https://data.example.com/v1/auth/callback",
  secureCookies: true,
};
const ALICE: GithubUser = {
  id: 11,
  login: "Alice",
  name: "Alice A.",
  avatar_url: "https://a.example/a",
  html_url: "https://github.com/Alice",
};

/** GitHub's side of one sign-in: the code exchange, the user, and their permissions on octo/site. */
function githubSignsIn(user: GithubUser, admin: boolean): void {
  nock("https://github.com").post("/login/oauth/access_token").reply(200, { access_token: "ghu_x", token_type: "bearer", scope: "" });
  nock("https://api.github.com", { reqheaders: { authorization: "token ghu_x" } })
    .get("/user")
    .reply(200, user)
    .get("/repos/octo/site")
    .reply(200, { permissions: { admin } });
}

const cookiePair = (setCookie: string) => setCookie.split(";")[0]!;
const fragmentOf = (location: string) => new URLSearchParams(new URL(location).hash.slice(1));

describe("sign in with GitHub", () => {
  let h: Harness;
  let router: InProcessApi;
  let log: LogLine[];
  let clock: number;
  let signIn: SignInDeps;
  let refreshed: Array<[RepoState, GithubUser]>;

  const call = (method: string, path: string, headers: Record<string, string> = {}, query = "", body?: unknown): Promise<ApiResponse> => {
    const request: InProcessRequest = { method, path, query, headers };
    if (body !== undefined) request.body = Buffer.from(JSON.stringify(body));
    return router.route(request);
  };

  const login = (repo = "octo/site", redirect = `${SITE}/after?x=1`) =>
    call("GET", "/v1/auth/login", {}, new URLSearchParams({ repo, redirect }).toString());

  /** Login, then GitHub's redirect back to the callback with `code` (or what `query` says instead). */
  async function startSignIn(): Promise<{ state: string; cookie: string }> {
    const started = await login();
    expect(started.status).toBe(302);
    return { state: new URL(started.headers!.location!).searchParams.get("state")!, cookie: cookiePair(started.cookies![0]!) };
  }

  const callback = (cookie: string | undefined, query: Record<string, string>) =>
    call("GET", "/v1/auth/callback", cookie === undefined ? {} : { cookie }, new URLSearchParams(query).toString());

  async function signedIn(user = ALICE, admin = false): Promise<string> {
    const { state, cookie } = await startSignIn();
    githubSignsIn(user, admin);
    const back = await callback(cookie, { code: "c0de", state });
    expect(back.status).toBe(302);
    return fragmentOf(back.headers!.location!).get("gitdisk_session")!;
  }

  const session = (repoId: number, admin = false, at = clock) =>
    signSession({ login: "alice", userId: 11, repoId, admin }, { current: SECRET }, at).then(({ token }) => token);

  beforeEach(async () => {
    h = await createHarness();
    const repo = await h.repo();
    await h.store.updateRepo(REPO_ID, { config: { ...TEST_CONFIG, api: { ...TEST_CONFIG.api, origins: [SITE] } } });
    await h.store.upsertRepo(
      { id: OTHER_ID, owner: "octo", name: "other", private: false, defaultBranch: "main", installationId: 42 },
      { branch: "main", config: { ...TEST_CONFIG, api: { ...TEST_CONFIG.api, origins: ["https://other.example"] } } },
    );
    expect(repo.id).toBe(REPO_ID);
    clock = Date.now();
    refreshed = [];
    signIn = {
      ...createSignInDeps(SIGN_IN, "https://api.github.com", async (repoState, user) => void refreshed.push([repoState, user])),
      now: () => clock,
    };
    const captured = captureLog();
    log = captured.lines;
    router = inProcessApi({
      store: h.store,
      config: testConfig({ apiKey: OPERATOR }),
      log: captured.log,
      records: h.records,
      writeback: h.writeback,
      keys: h.keys,
      signIn,
    });
  });
  afterEach(async () => {
    expect(nock.pendingMocks()).toEqual([]);
    await h.close({ crash: true });
  });

  it("login sends the visitor to GitHub with a state bound to this browser by a signed cookie", async () => {
    const started = await login();
    expect(started.status).toBe(302);
    const location = new URL(started.headers!.location!);
    expect(location.origin + location.pathname).toBe("https://github.com/login/oauth/authorize");
    expect(location.searchParams.get("client_id")).toBe("Iv1.abc");
    expect(location.searchParams.get("redirect_uri")).toBe("https://data.example.com/v1/auth/callback");
    expect(started.cookies).toEqual([
      expect.stringMatching(/^__Host-gitdisk_oauth=eyJ[^;]+; Max-Age=600; Path=\/; HttpOnly; Secure; SameSite=Lax$/),
    ]);
    expect(started.headers!["cache-control"]).toBe("no-store");
  });

  it("callback signs the visitor in: session in the fragment and a cookie, profile refreshed, state cookie cleared", async () => {
    const { state, cookie } = await startSignIn();
    githubSignsIn(ALICE, false);
    const back = await callback(cookie, { code: "c0de", state });
    expect(back.status).toBe(302);
    const location = back.headers!.location!;
    expect(location.startsWith(`${SITE}/after?x=1#gitdisk_session=eyJ`)).toBe(true);
    const token = fragmentOf(location).get("gitdisk_session")!;
    expect(back.cookies).toEqual([
      `__Host-gitdisk_session=${token}; Max-Age=${SESSION_LIFETIME_SECONDS}; Path=/; HttpOnly; Secure; SameSite=Lax`,
      "__Host-gitdisk_oauth=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax",
    ]);
    expect(refreshed.map(([repo, user]) => [repo.id, user.login])).toEqual([[REPO_ID, "Alice"]]);

    const expected = { login: "alice", userId: 11, repo: "octo/site", admin: false, expiresAt: expect.any(String) };
    const byBearer = await call("GET", "/v1/auth/me", { authorization: `Bearer ${token}` });
    expect(byBearer).toMatchObject({ status: 200, body: expected });
    expect(Date.parse((byBearer.body as { expiresAt: string }).expiresAt)).toBe(
      (Math.floor(clock / 1000) + SESSION_LIFETIME_SECONDS) * 1000,
    );
    expect(await call("GET", "/v1/auth/me", { cookie: `a=1; __Host-gitdisk_session=${token}` })).toMatchObject({
      status: 200,
      body: expected,
    });
  });

  it("signs the visitor in even when the profile cannot be written, and logs why", async () => {
    signIn.refreshProfile = async () => {
      throw new Error("the profiles schema refused it");
    };
    expect(await signedIn()).toMatch(/^eyJ/);
    expect(log.some((line) => line.msg.includes("the profiles schema refused it"))).toBe(true);
  });

  it("me without a session is a 401; logout clears the cookie", async () => {
    expect((await call("GET", "/v1/auth/me")).status).toBe(401);
    const out = await call("POST", "/v1/auth/logout", { cookie: "__Host-gitdisk_session=expired.or.whatever" });
    expect(out.status).toBe(204);
    expect(out.cookies).toEqual(["__Host-gitdisk_session=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax"]);
  });

  it("me and logout name the site's repository (?repo=), so that its page reads their answers with credentials", async () => {
    const credentialed = { "access-control-allow-origin": SITE, "access-control-allow-credentials": "true" };
    const signedOut = await call("GET", "/v1/auth/me", { origin: SITE }, "repo=octo/site");
    expect(signedOut).toMatchObject({ status: 401, headers: credentialed });
    expect(await call("POST", "/v1/auth/logout", { origin: SITE }, "repo=octo/site")).toMatchObject({ status: 204, headers: credentialed });
    expect(await call("OPTIONS", "/v1/auth/me", { origin: SITE, "access-control-request-method": "GET" }, "repo=octo/site")).toMatchObject({
      status: 204,
      headers: credentialed,
    });
    expect((await call("GET", "/v1/auth/me", { origin: "https://evil.example" }, "repo=octo/site")).headers).toMatchObject({
      "access-control-allow-origin": "*",
    });

    const cookie = `__Host-gitdisk_session=${await session(REPO_ID)}`;
    expect(await call("GET", "/v1/auth/me", { cookie, origin: SITE }, "repo=octo/site")).toMatchObject({
      status: 200,
      headers: credentialed,
    });
    // gitdisk's one cookie may hold another site's session: that site's page hears it is not signed in there.
    const elsewhere = await call("GET", "/v1/auth/me", { cookie, origin: "https://other.example" }, "repo=octo/other");
    expect(elsewhere).toMatchObject({ status: 401, headers: { "access-control-allow-origin": "https://other.example" } });
  });

  it("login refuses a redirect to an origin the repository does not list, and a repository not mirrored", async () => {
    for (const redirect of ["https://evil.example/", "https://other.example/", "/relative", `${SITE}.evil.example/`]) {
      const refused = await login("octo/site", redirect);
      expect(refused.status).toBe(400);
      expect(refused.headers!.location).toBeUndefined();
      expect(refused.cookies).toBeUndefined();
    }
    expect((await login("octo/missing")).status).toBe(404);
    expect((await login("octo")).status).toBe(400);
    expect((await call("GET", "/v1/auth/login", {}, "repo=octo%2Fsite")).status).toBe(400);
    // The state cookie carries the redirect: one too long for a browser to keep it is refused at the start.
    expect((await login("octo/site", `${SITE}/${"a".repeat(2000)}`)).status).toBe(400);
  });

  it("a private repository takes sign-ins only once it lists origins, and shows a session none of its state", async () => {
    await h.store.upsertRepo(
      { id: 9, owner: "octo", name: "hidden", private: true, defaultBranch: "main", installationId: 42 },
      { branch: "main", config: TEST_CONFIG },
    );
    const unlisted = await login("octo/hidden", `${SITE}/`);
    expect(unlisted.status).toBe(404);
    expect(unlisted.body).toEqual({ error: { code: "not_found", message: "repository octo/hidden is not mirrored here" } });

    await h.store.updateRepo(REPO_ID, { private: true });
    const visitor = { authorization: `Bearer ${await session(REPO_ID)}` };
    expect((await call("GET", "/v1/repos/octo/site/status", visitor)).status).toBe(404);
    expect((await call("GET", "/v1/repos/octo/site/status", { authorization: `Bearer ${OPERATOR}` })).status).toBe(200);
    expect((await login("octo/site", `${SITE}/`)).status).toBe(302);
  });

  it("callback refuses a missing, forged or expired state cookie, a state that does not match, and a replay", async () => {
    const { state, cookie } = await startSignIn();
    const expectRefused = async (response: ApiResponse, message: RegExp) => {
      expect(response.status).toBe(400);
      expect(response.headers!.location).toBeUndefined();
      expect((response.body as { error: { message: string } }).error.message).toMatch(message);
    };
    await expectRefused(await callback(undefined, { code: "c0de", state }), /state cookie is missing/);
    const [header, , signature] = cookie.slice("__Host-gitdisk_oauth=".length).split(".");
    const tampered = Buffer.from(JSON.stringify({ non: state, rid: REPO_ID, rep: "octo/site", red: "https://evil.example/" })).toString(
      "base64url",
    );
    await expectRefused(await callback(`__Host-gitdisk_oauth=${header}.${tampered}.${signature}`, { code: "c0de", state }), /signature/);
    await expectRefused(await callback(cookie, { code: "c0de", state: `${state}x` }), /does not match/);
    await expectRefused(await callback(cookie, { code: "c0de" }), /does not match/);

    githubSignsIn(ALICE, false);
    expect((await callback(cookie, { code: "c0de", state })).status).toBe(302);
    await expectRefused(await callback(cookie, { code: "c0de", state }), /already completed/);

    const late = await startSignIn();
    clock += 11 * 60 * 1000;
    await expectRefused(await callback(late.cookie, { code: "c0de", state: late.state }), /has expired/);
    expect(log.filter((line) => line.msg.startsWith("sign-in callback refused")).length).toBe(6);
  });

  it("sends GitHub's refusal back to the site, and a failed code exchange too, without a session", async () => {
    const denied = await startSignIn();
    const back = await callback(denied.cookie, { error: "access_denied", state: denied.state });
    expect(back.status).toBe(302);
    expect(back.headers!.location).toBe(`${SITE}/after?x=1#gitdisk_error=access_denied`);
    expect(back.cookies).toEqual(["__Host-gitdisk_oauth=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax"]);

    const bad = await startSignIn();
    nock("https://github.com")
      .post("/login/oauth/access_token")
      .reply(200, { error: "bad_verification_code", error_description: "The code passed is incorrect or expired.", error_uri: "x" });
    const failed = await callback(bad.cookie, { code: "stale", state: bad.state });
    expect(failed.headers!.location).toBe(`${SITE}/after?x=1#gitdisk_error=bad_verification_code`);
    expect(failed.cookies!.some((value) => value.startsWith("__Host-gitdisk_session="))).toBe(false);
    expect(refreshed).toEqual([]);
    expect(log.some((line) => line.msg === "sign-in failed at GitHub")).toBe(true);
  });

  it("refuses forged and expired sessions with a 401 that says why, by bearer and by cookie (a cookie's on a read: as none)", async () => {
    const token = await signedIn();
    const [header, payload, signature] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString()) as Record<string, unknown>;
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, adm: true })).toString("base64url")}.${signature}`;
    const otherSecret = await signSession({ login: "alice", userId: 11, repoId: REPO_ID, admin: true }, { current: "x".repeat(32) }, clock);
    const expired = await session(REPO_ID, false, clock - (SESSION_LIFETIME_SECONDS + 60) * 1000);
    for (const [bad, reason] of [
      [forged, /signature/],
      [otherSecret.token, /signature/],
      [expired, /has expired/],
    ] as Array<[string, RegExp]>) {
      const bearer = { authorization: `Bearer ${bad}` };
      const cookie = { cookie: `__Host-gitdisk_session=${bad}`, origin: SITE, "content-type": "application/json" };
      for (const refused of [
        await call("GET", "/v1/repos/octo/site/tree", bearer),
        await call("POST", "/v1/repos/octo/site/collections/likes", cookie, "", { doc: "p" }),
      ]) {
        expect(refused.status).toBe(401);
        expect((refused.body as { error: { message: string } }).error.message).toMatch(reason);
      }
      // The browser sends its stale cookie to every site on this host: their reads go on.
      expect((await call("GET", "/v1/repos/octo/site/tree", cookie)).status).toBe(200);
    }
    // Sign-in itself still works with a stale cookie in the browser.
    expect(
      (await call("GET", "/v1/auth/login", { cookie: `__Host-gitdisk_session=${expired}` }, `repo=octo/site&redirect=${SITE}/`)).status,
    ).toBe(302);
  });

  it("a session serves its own repository only: another's routes answer 403", async () => {
    const token = await session(REPO_ID);
    expect((await call("GET", "/v1/repos/octo/site/tree", { authorization: `Bearer ${token}` })).status).toBe(200);
    for (const [method, path] of [
      ["GET", "/v1/repos/octo/other/tree"],
      ["GET", "/v1/repos/octo/other/status"],
      ["GET", "/v1/repos/octo/other/collections/likes"],
      ["POST", "/v1/repos/octo/other/collections/likes"],
      ["GET", "/v1/repos/octo/other/keys"],
    ] as const) {
      const refused = await call(method, path, { authorization: `Bearer ${token}`, "content-type": "application/json" }, "", { doc: "p" });
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual({ error: { code: "forbidden", message: "this session is for another repository" } });
    }
  });

  it("over https takes the session only from its __Host- cookie: one a sibling subdomain could plant is no session", async () => {
    const token = await session(REPO_ID);
    expect((await call("GET", "/v1/auth/me", { cookie: `gitdisk_session=${token}` })).status).toBe(401);
    expect((await call("GET", "/v1/auth/me", { cookie: `__Host-gitdisk_session=${token}` })).status).toBe(200);
  });

  it("another site's session cookie counts for nothing on this one's reads, and for no keys; its writes are refused", async () => {
    const cookie = `__Host-gitdisk_session=${await session(OTHER_ID, true)}`;
    expect((await call("GET", "/v1/repos/octo/site/tree", { cookie })).status).toBe(200);
    expect((await call("GET", "/v1/repos/octo/site/collections/likes", { cookie })).status).toBe(200);
    const keys = await call("GET", "/v1/repos/octo/site/keys", { cookie });
    expect(keys.status).toBe(401);
    const write = await call(
      "POST",
      "/v1/repos/octo/site/collections/likes",
      { cookie, origin: SITE, "content-type": "application/json" },
      "",
      {
        doc: "p",
      },
    );
    expect(write.body).toEqual({ error: { code: "forbidden", message: "this session is for another repository" } });
  });

  it("a cookie session changes data only from an origin the repository lists", async () => {
    const token = await session(REPO_ID);
    const headers = { cookie: `__Host-gitdisk_session=${token}`, "content-type": "application/json" };
    for (const origin of [undefined, "https://evil.example", "https://other.example"]) {
      const refused = await call("POST", "/v1/repos/octo/site/collections/likes", origin ? { ...headers, origin } : headers, "", {
        doc: "p",
      });
      expect(refused.status).toBe(403);
      expect((refused.body as { error: { message: string } }).error.message).toMatch(/must come from an origin listed in api.origins/);
    }
    const likes = await call("GET", "/v1/repos/octo/site/collections/likes", { authorization: `Bearer ${OPERATOR}` });
    expect(likes.body).toMatchObject({ items: [] });
    // A read needs no Origin; a bearer is not a cookie a foreign page could send.
    expect((await call("GET", "/v1/repos/octo/site/tree", headers)).status).toBe(200);
    const byBearer = await call("POST", "/v1/repos/octo/site/collections/likes", {
      authorization: `Bearer ${token}`,
      origin: "https://evil.example",
    });
    expect(byBearer.status).not.toBe(403);
  });

  it("a signed-in admin manages the repository's keys; a visitor without admin rights gets 403", async () => {
    const admin = { authorization: `Bearer ${await signedIn(ALICE, true)}`, "content-type": "application/json" };
    const created = await call("POST", "/v1/repos/octo/site/keys", admin, "", { name: "build" });
    expect(created.status).toBe(201);
    const { id } = created.body as { id: string };
    expect((await call("GET", "/v1/repos/octo/site/keys", admin)).body).toMatchObject({ items: [{ id, name: "build" }] });
    expect((await call("DELETE", `/v1/repos/octo/site/keys/${id}`, admin)).status).toBe(204);

    const visitor = { authorization: `Bearer ${await session(REPO_ID, false)}`, "content-type": "application/json" };
    const refused = await call("POST", "/v1/repos/octo/site/keys", visitor, "", { name: "mine" });
    expect(refused.status).toBe(403);
    expect((await call("GET", "/v1/repos/octo/site/keys", visitor)).status).toBe(403);
    expect((await call("GET", "/v1/repos/octo/site/keys", { authorization: `Bearer ${OPERATOR}` })).body).toEqual({ items: [] });

    // Admin rights learned at sign-in count for an hour: one removed on GitHub cannot mint keys all week.
    clock += 61 * 60 * 1000;
    const stale = await call("POST", "/v1/repos/octo/site/keys", admin, "", { name: "later" });
    expect(stale.status).toBe(403);
    expect((stale.body as { error: { message: string } }).error.message).toMatch(/sign in again/);
  });

  it("answers 503 on every /v1/auth route when sign-in is not configured, and refuses session bearers", async () => {
    router = inProcessApi({ store: h.store, config: testConfig(), log: captureLog().log, records: h.records });
    for (const [method, path] of [
      ["GET", "/v1/auth/login"],
      ["GET", "/v1/auth/callback"],
      ["GET", "/v1/auth/me"],
      ["POST", "/v1/auth/logout"],
    ]) {
      const off = await call(method!, path!);
      expect(off.status).toBe(503);
      expect((off.body as { error: { message: string } }).error.message).toMatch(/GITDISK_SESSION_SECRET/);
    }
    expect((await call("GET", "/v1/repos/octo/site/tree", { authorization: `Bearer ${await session(REPO_ID)}` })).status).toBe(401);
  });
});
