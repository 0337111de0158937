import { type Simulator, startSimulator } from "../start-simulator.js";
import { tokenOctokit } from "./helpers/sim-test-kit.js";

describe("OAuth web flow", () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await startSimulator({ oauthCallbackUrl: "http://127.0.0.1:9/auth/callback" });
  });

  afterAll(() => sim.close());

  async function authorize(query: Record<string, string>): Promise<URL> {
    const response = await fetch(`${sim.url}/login/oauth/authorize?${new URLSearchParams(query)}`, { redirect: "manual" });
    expect(response.status).toBe(302);
    return new URL(response.headers.get("location")!);
  }

  async function exchange(params: Record<string, string>, json = true): Promise<Record<string, unknown>> {
    const response = await fetch(`${sim.url}/login/oauth/access_token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...(json ? { accept: "application/json" } : {}) },
      body: new URLSearchParams(params).toString(),
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    return json ? (JSON.parse(text) as Record<string, unknown>) : Object.fromEntries(new URLSearchParams(text));
  }

  test("authorize → code → user token → GET /user, then refresh", async () => {
    const back = await authorize({ client_id: sim.app.clientId, state: "s-123", login: "ada" });
    expect(`${back.origin}${back.pathname}`).toBe("http://127.0.0.1:9/auth/callback");
    expect(back.searchParams.get("state")).toBe("s-123");
    const code = back.searchParams.get("code")!;
    const token = await exchange({ client_id: sim.app.clientId, client_secret: sim.app.clientSecret, code });
    expect(token).toMatchObject({
      token_type: "bearer",
      access_token: expect.stringMatching(/^ghu_/),
      refresh_token: expect.stringMatching(/^ghr_/),
      expires_in: 28800,
    });
    const user = await tokenOctokit(sim, token.access_token as string).rest.users.getAuthenticated();
    expect(user.data).toMatchObject({ login: "ada", type: "User" });
    expect(await exchange({ client_id: sim.app.clientId, client_secret: sim.app.clientSecret, code })).toMatchObject({
      error: "bad_verification_code",
    });
    const refreshed = await exchange(
      {
        client_id: sim.app.clientId,
        client_secret: sim.app.clientSecret,
        grant_type: "refresh_token",
        refresh_token: token.refresh_token as string,
      },
      false,
    );
    expect(refreshed.access_token).toMatch(/^ghu_/);
    expect(refreshed.access_token).not.toBe(token.access_token);
  });

  test("a wrong client secret and a foreign redirect_uri are refused", async () => {
    const back = await authorize({ client_id: sim.app.clientId });
    expect(await exchange({ client_id: sim.app.clientId, client_secret: "wrong", code: back.searchParams.get("code")! })).toMatchObject({
      error: "incorrect_client_credentials",
    });
    const foreign = await authorize({ client_id: sim.app.clientId, redirect_uri: "http://127.0.0.1:9/elsewhere" });
    expect(foreign.searchParams.get("error")).toBe("redirect_uri_mismatch");
  });
});

describe("control API over HTTP", () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await startSimulator();
  });

  afterAll(() => sim.close());

  async function control(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const response = await fetch(`${sim.url}/_sim${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
    });
    return { status: response.status, json: await response.json() };
  }

  test("create, push (text and base64 binary), read the tree and a file, rename, install, count", async () => {
    expect((await control("GET", "")).json).toMatchObject({ apiUrl: sim.apiUrl, app: { id: sim.app.id } });
    expect((await control("POST", "/repos", { owner: "octo", name: "site", files: { "a.txt": "a" } })).json).toMatchObject({
      fullName: "octo/site",
      defaultBranch: "main",
    });
    const pushed = await control("POST", "/repos/octo/site/push", {
      commits: [{ message: "m", files: { "bin/x.bin": { base64: Buffer.from([0, 255]).toString("base64") }, "a.txt": null } }],
    });
    expect(pushed.json).toMatchObject({ branch: "main", forced: false, commits: [expect.any(String)] });
    const tree = (await control("GET", "/repos/octo/site/tree")).json as Array<{ path: string; size: number }>;
    expect(tree.map((file) => [file.path, file.size])).toEqual([["bin/x.bin", 2]]);
    expect((await control("GET", "/repos/octo/site/file?path=bin/x.bin")).json).toEqual({
      base64: Buffer.from([0, 255]).toString("base64"),
    });
    const installed = (await control("POST", "/installations", { account: "octo", repositories: ["site"] })).json as {
      installationId: number;
    };
    expect(installed.installationId).toBe(sim.installationId("octo"));
    expect((await control("PATCH", "/repos/octo/site", { name: "renamed" })).json).toMatchObject({ fullName: "octo/renamed" });
    expect((await control("POST", "/faults", { endpoint: "GET /repos/{owner}/{repo}", kind: "error", status: 503 })).json).toMatchObject({
      id: expect.any(Number),
    });
    expect((await control("GET", "/faults")).json).toHaveLength(1);
    expect((await control("DELETE", "/faults")).status).toBe(200);
    expect((await control("GET", "/webhooks/deliveries")).json).toEqual([
      expect.objectContaining({ event: "installation", state: "no-target" }),
      expect.objectContaining({ event: "repository", action: "renamed" }),
    ]);
    expect((await control("GET", "/metrics")).json).toEqual({ requests: 0, bytesOut: 0, byEndpoint: {} });
    expect((await control("GET", "/violations")).json).toEqual([]);
  });

  test("commits() lists a branch's history newest first, with messages and parents", async () => {
    await sim.createRepo({ owner: "octo", name: "history", files: { "a.txt": "1" }, message: "first" });
    const pushed = await sim.push("octo/history", {
      commits: [
        { message: "second\n\nGitdisk-Write: w1", files: { "a.txt": "2" } },
        { message: "third", files: { "b.txt": "3" } },
      ],
    });
    const commits = await sim.commits("octo/history");
    expect(commits.map((commit) => commit.message.trim().split("\n")[0])).toEqual(["third", "second", "first"]);
    expect(commits[0]!.parents).toEqual([pushed.commits[0]]);
    expect(commits[1]!.message).toContain("Gitdisk-Write: w1");
    expect(await sim.commits("octo/history", { limit: 1 })).toHaveLength(1);
    expect(await sim.commits("octo/history", { ref: "no-such-branch" })).toEqual([]);
  });

  test("GET /_sim lists every control route, and each one it lists is served", async () => {
    const { routes } = (await control("GET", "")).json as { routes: Array<{ method: string; path: string; about: string }> };
    expect(routes.length).toBeGreaterThan(20);
    expect(routes).toContainEqual(
      expect.objectContaining({ method: "POST", path: "/_sim/repos/:owner/:repo/push", about: expect.any(String) }),
    );
    for (const route of routes) {
      const path = route.path
        .slice("/_sim".length)
        .replace(/:(owner|account)/g, "nobody")
        .replace(/:\w+/g, "x");
      // A route that exists may refuse these made-up names, but never with "no control route".
      const answer = await control(route.method, path, route.method === "GET" || route.method === "DELETE" ? undefined : {});
      expect({ route: `${route.method} ${route.path}`, answer: answer.json }).not.toMatchObject({
        answer: { error: expect.stringMatching(/^no control route/) },
      });
    }
  });

  test("errors are JSON: an unknown repository, an unknown route", async () => {
    expect(await control("POST", "/repos/octo/missing/push", { commits: [] })).toEqual({
      status: 400,
      json: { error: "no repository octo/missing" },
    });
    expect((await control("GET", "/nope")).status).toBe(404);
  });
});
