/**
 * End to end, issue 17's "How it is judged": visitors sign in with GitHub (the simulator's OAuth web
 * flow) on the real server, write as themselves with a bearer session or a cookie, are refused
 * everything that is not theirs, have profiles committed as files, are limited; a repository admin
 * manages site keys with their session. Written to the sign-in contract (sessions, cookies, origins,
 * `_author`, limits, keys).
 */
import { createHash } from "node:crypto";
import { SignJWT } from "jose";
import { type Simulator, startSimulator } from "../github-sim/start-simulator.js";
import { type GitdiskProcess, startGitdisk, TEST_SESSION_SECRET } from "../helpers/gitdisk-process.js";
import {
  cookieValue,
  fragmentParam,
  type HttpAnswer,
  hop,
  OAUTH_COOKIE,
  SESSION_COOKIE,
  type SignedIn,
  signIn,
  signInAnswer,
} from "../helpers/sign-in.js";
import { waitForServedSha, waitForStatus } from "./mirror-check.js";

const REPO = "octo/blog";
const OTHER_REPO = "octo/other";
const SITE = "http://site.test";
const FOREIGN = "http://evil.test";
const AFTER_SIGN_IN = `${SITE}/after-sign-in?from=header`;
const TIMEOUT_MS = 120_000;
// Every write attempt counts, refused ones too (visitor-limits.ts): room for the refusals the tests before the limit's make.
const WRITES_PER_MINUTE = 20;
const SEVEN_DAYS_MS = 7 * 24 * 3600 * 1000;

let sim: Simulator;
let gitdisk: GitdiskProcess;
/** ada administers the blog and signs in first; bob is a visitor without any role on it. */
let ada: SignedIn;
let bob: SignedIn;
interface Written {
  id: string;
  path: string;
}
/** Each visitor's message, as their accepted write answered. */
const messages = new Map<"ada" | "bob", Written>();
let acceptedWrites = 0;

interface Caller {
  bearer?: string;
  cookie?: string;
  origin?: string;
  headers?: Record<string, string>;
}

interface ApiAnswer {
  status: number;
  headers: Headers;
  json: Record<string, unknown> | null;
}

async function api(method: string, path: string, caller: Caller = {}, body?: unknown): Promise<ApiAnswer> {
  const headers: Record<string, string> = { ...caller.headers };
  if (caller.bearer) headers.authorization = `Bearer ${caller.bearer}`;
  if (caller.cookie) headers.cookie = `${SESSION_COOKIE}=${caller.cookie}`;
  if (caller.origin) headers.origin = caller.origin;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${gitdisk.url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

const asBearer = (session: SignedIn): Caller => ({ bearer: session.token });
const asCookie = (session: SignedIn, origin = SITE): Caller => ({ cookie: session.cookie, origin });
const collection = (name: string, repo = REPO) => `/v1/repos/${repo}/collections/${name}`;

/** A visitor's create that must be accepted (202), counted. */
async function visitorCreate(caller: Caller, name: string, data: unknown): Promise<{ written: Written; answer: ApiAnswer }> {
  const answer = await api("POST", collection(name), caller, data);
  if (answer.status !== 202) throw new Error(`POST ${name} refused: ${answer.status} ${JSON.stringify(answer.json)}`);
  acceptedWrites++;
  return { written: { id: String(answer.json!.id), path: String(answer.json!.path) }, answer };
}

function expectRefused(answer: ApiAnswer, status: number): void {
  expect({ status: answer.status, error: answer.json?.error }).toEqual({
    status,
    error: { code: expect.any(String), message: expect.any(String) },
  });
}

function expectSessionCookieSet(setCookie: string | undefined): void {
  expect(setCookie).toMatch(/^gitdisk_session=[^;]+/);
  const attributes = setCookie!.split(";").map((part) => part.trim().toLowerCase());
  expect(attributes).toEqual(expect.arrayContaining(["httponly", "samesite=lax", "path=/", expect.stringMatching(/^max-age=\d+$/)]));
  expect(attributes).not.toContain("secure"); // GITDISK_PUBLIC_URL is http here
}

function expectCookieCleared(setCookie: string | undefined, name: string): void {
  expect(setCookie).toMatch(new RegExp(`^${name}=`));
  expect(setCookie!.toLowerCase()).toMatch(/max-age=0|expires=thu, 01 jan 1970/);
}

async function fileJson(path: string): Promise<Record<string, unknown> | null> {
  const content = await sim.readFile(REPO, path);
  return content ? (JSON.parse(content.toString("utf8")) as Record<string, unknown>) : null;
}

async function waitUntilFlushed(): Promise<void> {
  await waitForStatus(
    gitdisk,
    REPO,
    (status) => status.pendingWrites === 0,
    60_000,
    (status) => `${status.pendingWrites} writes still pending:\n${gitdisk.output().slice(-4000)}\n`,
  );
  await sim.webhooks.settled();
  await waitForServedSha(gitdisk, REPO, sim.head(REPO)!, 30_000);
}

/** A session token made as gitdisk makes them (jose HS256, kid from the secret), to probe verification. */
function sessionToken(
  claims: { login: string; uid: number; rid: number; adm: boolean },
  options: { secret?: string; expiresAt?: Date } = {},
) {
  const secret = options.secret ?? TEST_SESSION_SECRET;
  const kid = createHash("sha256").update(secret).digest("hex").slice(0, 16);
  return new SignJWT({ uid: claims.uid, rid: claims.rid, adm: claims.adm })
    .setProtectedHeader({ alg: "HS256", kid })
    .setIssuer("gitdisk")
    .setAudience("gitdisk-session")
    .setSubject(claims.login)
    .setIssuedAt()
    .setExpirationTime(options.expiresAt ?? new Date(Date.now() + 3600_000))
    .sign(new TextEncoder().encode(secret));
}

beforeAll(async () => {
  sim = await startSimulator();
  await sim.createRepo({
    owner: "octo",
    name: "blog",
    private: true,
    files: {
      "README.md": "# Blog\n",
      "content/secret.md": "Not yet published\n",
      ".github/gitdisk.yml": `api:\n  origins: ["${SITE}"]\n  visitorLimits:\n    writesPerMinute: ${WRITES_PER_MINUTE}\n`,
    },
  });
  await sim.createRepo({ owner: "octo", name: "other", private: true, files: { "secret.txt": "another site's secret\n" } });
  sim.setCollaborator(REPO, "ada", "admin");
  sim.setCollaborator(OTHER_REPO, "ada", "admin");
  gitdisk = await startGitdisk(sim, {
    signIn: true,
    env: { GITDISK_HEAL_INTERVAL_SECONDS: "0", GITDISK_FLUSH_WINDOW_MS: "300", LOG_LEVEL: "info" },
  });
  sim.install("octo", ["blog", "other"]);
  await sim.webhooks.settled();
  await waitForServedSha(gitdisk, REPO, sim.head(REPO)!, 30_000);
  await waitForServedSha(gitdisk, OTHER_REPO, sim.head(OTHER_REPO)!, 30_000);
}, TIMEOUT_MS);

afterAll(async () => {
  await gitdisk?.stop();
  await sim?.close();
});

describe("sign in with GitHub against the simulator", () => {
  test("/v1/auth/login binds a state to the browser (gitdisk_oauth cookie) and sends it to GitHub's authorize page", async () => {
    const login = await hop(`${gitdisk.url}/v1/auth/login?${new URLSearchParams({ repo: REPO, redirect: AFTER_SIGN_IN })}`);
    expect(login.status).toBe(302);
    const authorize = new URL(login.location!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${sim.url}/login/oauth/authorize`);
    expect(authorize.searchParams.get("client_id")).toBe(sim.app.clientId);
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${gitdisk.url}/v1/auth/callback`);
    expect(authorize.searchParams.get("state")).toMatch(/^\S{16,}$/);
    const cookie = login.setCookies.get(OAUTH_COOKIE);
    expect(cookieValue(cookie)).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/); // a signed JWT
    const attributes = cookie!.split(";").map((part) => part.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(["httponly", "samesite=lax", "path=/v1/auth", "max-age=600"]));
    expect(attributes).not.toContain("secure");
  });

  test(
    "two users sign in: the session comes back in the fragment and as a cookie; /v1/auth/me says who, where and whether admin",
    async () => {
      const adaCallback = await signInAnswer(gitdisk.url, sim, { repo: REPO, redirect: AFTER_SIGN_IN, user: "ada" });
      expect(adaCallback.status).toBe(302);
      expect(adaCallback.location!.startsWith(`${AFTER_SIGN_IN}#gitdisk_session=`)).toBe(true);
      expectSessionCookieSet(adaCallback.setCookies.get(SESSION_COOKIE));
      expectCookieCleared(adaCallback.setCookies.get(OAUTH_COOKIE), OAUTH_COOKIE);
      expect(fragmentParam(adaCallback.location, SESSION_COOKIE)).toBe(cookieValue(adaCallback.setCookies.get(SESSION_COOKIE)));

      ada = await signIn(gitdisk.url, sim, { repo: REPO, redirect: AFTER_SIGN_IN, user: "ada" });
      bob = await signIn(gitdisk.url, sim, { repo: REPO, redirect: AFTER_SIGN_IN, user: "bob" });
      const me = await api("GET", "/v1/auth/me", asBearer(ada));
      expect(me).toMatchObject({
        status: 200,
        json: { login: "ada", userId: expect.any(Number), repo: REPO, admin: true, expiresAt: expect.any(String) },
      });
      const expiresIn = new Date(String(me.json!.expiresAt)).getTime() - Date.now();
      expect(expiresIn).toBeGreaterThan(SEVEN_DAYS_MS - 120_000);
      expect(expiresIn).toBeLessThanOrEqual(SEVEN_DAYS_MS);
      expect(await api("GET", "/v1/auth/me", { cookie: bob.cookie })).toMatchObject({
        status: 200,
        json: { login: "bob", repo: REPO, admin: false },
      });
      expectRefused(await api("GET", "/v1/auth/me"), 401);
    },
    TIMEOUT_MS,
  );

  test("a replayed callback, a tampered state, a callback without the browser's cookie: 400, no session", async () => {
    for (const attack of [{ replayCallback: true }, { tamperState: true }, { dropCookie: true }]) {
      const answer: HttpAnswer = await signInAnswer(gitdisk.url, sim, { repo: REPO, redirect: AFTER_SIGN_IN, user: "mallory", ...attack });
      expect({ attack, status: answer.status, session: answer.setCookies.has(SESSION_COOKIE) }).toEqual({
        attack,
        status: 400,
        session: false,
      });
    }
  });

  test("declining on GitHub returns to the site with #gitdisk_error; unlisted redirects and unmirrored repositories are refused", async () => {
    const declined = await signInAnswer(gitdisk.url, sim, { repo: REPO, redirect: AFTER_SIGN_IN, user: "ada", deny: true });
    expect(declined.status).toBe(302);
    expect(fragmentParam(declined.location, "gitdisk_error")).toBe("access_denied");
    expect(declined.setCookies.has(SESSION_COOKIE)).toBe(false);

    const openRedirect = await hop(`${gitdisk.url}/v1/auth/login?${new URLSearchParams({ repo: REPO, redirect: `${FOREIGN}/x` })}`);
    expect({ status: openRedirect.status, location: openRedirect.location }).toEqual({ status: 400, location: null });
    const unmirrored = await hop(`${gitdisk.url}/v1/auth/login?${new URLSearchParams({ repo: "octo/none", redirect: AFTER_SIGN_IN })}`);
    expect({ status: unmirrored.status, location: unmirrored.location }).toEqual({ status: 404, location: null });
  });

  test(
    "each likes a post and posts a message: ada with her bearer, bob with his cookie from the site's origin (CORS with credentials)",
    async () => {
      expect((await visitorCreate(asBearer(ada), "likes", { doc: "post-1" })).written).toEqual({
        id: "post-1/ada",
        path: "data/likes/post-1/ada.json",
      });
      messages.set("ada", (await visitorCreate(asBearer(ada), "messages", { text: "Hello from ada" })).written);
      expect((await visitorCreate(asCookie(bob), "likes", { doc: "post-1" })).written).toEqual({
        id: "post-1/bob",
        path: "data/likes/post-1/bob.json",
      });
      const { written, answer } = await visitorCreate(asCookie(bob), "messages", { text: "Hello from bob" });
      messages.set("bob", written);
      expect(answer.headers.get("access-control-allow-origin")).toBe(SITE);
      expect(answer.headers.get("access-control-allow-credentials")).toBe("true");
      expect(answer.headers.get("vary") ?? "").toMatch(/\borigin\b/i);
    },
    TIMEOUT_MS,
  );

  test("each is refused replacing or deleting the other's records (403)", async () => {
    const adaMessage = messages.get("ada")!;
    const bobMessage = messages.get("bob")!;
    const attempts: Array<[Caller, string, string]> = [
      [asBearer(ada), "PUT", `messages/${bobMessage.id}`],
      [asBearer(ada), "DELETE", `messages/${bobMessage.id}`],
      [asBearer(ada), "PUT", "likes/post-1/bob"],
      [asBearer(ada), "DELETE", "likes/post-1/bob"],
      [asBearer(ada), "PUT", "profiles/bob"],
      [asCookie(bob), "PUT", `messages/${adaMessage.id}`],
      [asCookie(bob), "DELETE", `messages/${adaMessage.id}`],
      [asCookie(bob), "PUT", "likes/post-1/ada"],
      [asCookie(bob), "DELETE", "likes/post-1/ada"],
      [asCookie(bob), "DELETE", "profiles/ada"],
    ];
    for (const [caller, method, route] of attempts) {
      const answer = await api(method, collection(route), caller, method === "PUT" ? { text: "taken over", doc: "post-1" } : undefined);
      expect({ method, route, status: answer.status }).toEqual({ method, route, status: 403 });
    }
  });

  test("a cookie write from a foreign origin or none, a body claiming another _author, a session naming another X-Gitdisk-User: 403", async () => {
    expectRefused(await api("POST", collection("messages"), asCookie(bob, FOREIGN), { text: "csrf" }), 403);
    expectRefused(await api("POST", collection("messages"), { cookie: bob.cookie }, { text: "no origin" }), 403);
    expectRefused(await api("POST", collection("messages"), asBearer(ada), { text: "as bob", _author: "bob" }), 403);
    expectRefused(
      await api("POST", collection("messages"), { ...asBearer(ada), headers: { "x-gitdisk-user": "bob" } }, { text: "as bob" }),
      403,
    );
    // A foreign origin gets no credentialed CORS answer.
    const foreign = await api("GET", `/v1/repos/${REPO}/status`, { origin: FOREIGN });
    expect(foreign.headers.get("access-control-allow-credentials")).toBeNull();
  });

  test(
    "what they wrote, and their profiles, are files carrying _author, in fewer commits than writes; nothing refused was written",
    async () => {
      await waitUntilFlushed();
      for (const login of ["ada", "bob"]) {
        const profile = await fileJson(`data/users/${login}.json`);
        expect(profile).toEqual({
          login,
          name: login, // the simulator's accounts are named after their login
          avatar_url: expect.stringMatching(/^http/),
          html_url: `${sim.url}/${login}`,
          first_sign_in_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
          _author: login,
        });
        expect(await fileJson(`data/likes/post-1/${login}.json`)).toEqual({ doc: "post-1", _author: login });
      }
      const messagePaths = [messages.get("ada")!.path, messages.get("bob")!.path];
      expect(await Promise.all(messagePaths.map(fileJson))).toEqual([
        { text: "Hello from ada", _author: "ada" },
        { text: "Hello from bob", _author: "bob" },
      ]);
      const gitdiskCommits = (await sim.commits(REPO)).filter((commit) => commit.message.startsWith("gitdisk:"));
      // And three profiles: mallory's first callback signed her in before its replay was refused.
      const writes = acceptedWrites + 3;
      expect(gitdiskCommits.length).toBeGreaterThan(0);
      expect(gitdiskCommits.length).toBeLessThan(writes);
      const files = await sim.files(REPO);
      expect([...files.keys()].filter((path) => path.startsWith("data/")).sort()).toEqual(
        [
          ...messagePaths,
          "data/likes/post-1/ada.json",
          "data/likes/post-1/bob.json",
          "data/users/ada.json",
          "data/users/bob.json",
          "data/users/mallory.json",
        ].sort(),
      );
    },
    TIMEOUT_MS,
  );

  test(
    "a visitor over the limit gets 429 with Retry-After",
    async () => {
      const cy = await signIn(gitdisk.url, sim, { repo: REPO, redirect: AFTER_SIGN_IN, user: "cy" });
      const statuses: number[] = [];
      let limited: ApiAnswer | undefined;
      for (let n = 0; n <= WRITES_PER_MINUTE && !limited; n++) {
        const answer = await api("POST", collection("likes"), asBearer(cy), { doc: `post-${n}` });
        statuses.push(answer.status);
        if (answer.status === 429) limited = answer;
      }
      expect(statuses.slice(0, -1).every((status) => status === 202)).toBe(true);
      expect(statuses.length).toBeGreaterThan(1);
      expect(limited).toBeDefined();
      expectRefused(limited!, 429);
      const retryAfter = Number(limited!.headers.get("retry-after"));
      expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
      // The limit is cy's alone: another visitor still writes.
      const dee = await signIn(gitdisk.url, sim, { repo: REPO, redirect: AFTER_SIGN_IN, user: "dee" });
      expect((await api("POST", collection("likes"), asBearer(dee), { doc: "post-0" })).status).toBe(202);
    },
    TIMEOUT_MS,
  );

  test("a repository admin's session makes a key that reads this repository's private files and nothing of another; revoking stops it at once", async () => {
    expectRefused(await api("POST", `/v1/repos/${REPO}/keys`, asBearer(bob), { name: "bob's" }), 403);
    const made = await api("POST", `/v1/repos/${REPO}/keys`, asBearer(ada), { name: "build" });
    expect(made).toMatchObject({ status: 201, json: { id: expect.any(String), name: "build", key: expect.stringMatching(/^gdk_/) } });
    const key = String(made.json!.key);
    const id = String(made.json!.id);
    expect((await api("GET", `/v1/repos/${REPO}/keys`, asBearer(ada))).json).toMatchObject({
      items: [expect.objectContaining({ id, name: "build" })],
    });
    expectRefused(await api("POST", `/v1/repos/${REPO}/keys`, { bearer: key }, { name: "from a site key" }), 403);

    const secret = await fetch(`${gitdisk.url}/v1/repos/${REPO}/files/content/secret.md`, { headers: { authorization: `Bearer ${key}` } });
    expect({ status: secret.status, text: await secret.text() }).toEqual({ status: 200, text: "Not yet published\n" });
    expect((await fetch(`${gitdisk.url}/v1/repos/${REPO}/files/content/secret.md`)).status).toBe(404);
    const other = await fetch(`${gitdisk.url}/v1/repos/${OTHER_REPO}/files/secret.txt`, { headers: { authorization: `Bearer ${key}` } });
    expect(other.status).toBe(404);

    expect((await api("DELETE", `/v1/repos/${REPO}/keys/${id}`, asBearer(ada))).status).toBe(204);
    const revoked = await fetch(`${gitdisk.url}/v1/repos/${REPO}/files/content/secret.md`, { headers: { authorization: `Bearer ${key}` } });
    expect(revoked.status).toBe(401);
  });

  test("a session is good for its own repository only: another private one is not even confirmed to exist, even to its admin", async () => {
    expectRefused(await api("GET", `/v1/repos/${OTHER_REPO}/files/secret.txt`, asBearer(ada)), 404);
    expectRefused(await api("GET", `/v1/repos/${OTHER_REPO}/keys`, asBearer(ada)), 404);
    expectRefused(await api("POST", collection("messages", OTHER_REPO), asBearer(bob), { text: "hi" }), 404);
  });

  test("sessions are verified: a token made as gitdisk makes them works; expired, wrongly signed or tampered ones are 401", async () => {
    const me = (await api("GET", "/v1/auth/me", asBearer(bob))).json!;
    const claims = { login: "bob", uid: Number(me.userId), rid: sim.repo(REPO).id, adm: false };
    expect(await api("GET", "/v1/auth/me", { bearer: await sessionToken(claims) })).toMatchObject({
      status: 200,
      json: { login: "bob", admin: false },
    });
    expectRefused(
      await api("GET", "/v1/auth/me", { bearer: await sessionToken(claims, { expiresAt: new Date(Date.now() - 60_000) }) }),
      401,
    );
    const forged = await sessionToken({ ...claims, adm: true }, { secret: `another-secret-${"x".repeat(32)}` });
    expectRefused(await api("POST", `/v1/repos/${REPO}/keys`, { bearer: forged }, { name: "forged" }), 401);
    const [header, payload, signature] = bob.token.split(".") as [string, string, string];
    const tampered = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith("AA") ? "BB" : "AA"}`;
    expectRefused(await api("GET", "/v1/auth/me", { bearer: tampered }), 401);
    expectRefused(await api("GET", "/v1/auth/me", { cookie: tampered }), 401);
  });

  test("the log keeps no sign-in secret: no callback's code or state, no session token", async () => {
    const output = gitdisk.output();
    expect(output).toMatch(/GET \/v1\/auth\/callback 302/);
    expect(output).not.toMatch(/\/v1\/auth\/callback\?/);
    expect(output).not.toContain(ada.token);
  });

  test("logout answers 204 and clears the cookie", async () => {
    const logout = await hop(`${gitdisk.url}/v1/auth/logout`, {
      method: "POST",
      headers: { cookie: `${SESSION_COOKIE}=${bob.cookie}`, origin: SITE },
    });
    expect(logout.status).toBe(204);
    expectCookieCleared(logout.setCookies.get(SESSION_COOKIE), SESSION_COOKIE);
    expectRefused(await api("GET", "/v1/auth/me", { cookie: cookieValue(logout.setCookies.get(SESSION_COOKIE)) ?? "" }), 401);
    expect(sim.violations()).toEqual([]);
  });
});
