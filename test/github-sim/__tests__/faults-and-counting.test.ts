import { ProbotOctokit } from "probot";
import { type Simulator, startSimulator } from "../start-simulator.js";
import { type TestOctokit, tokenOctokit } from "./helpers/sim-test-kit.js";

describe("faults, rate limits, request counting and violations", () => {
  let sim: Simulator;
  let octokit: TestOctokit;
  const repo = { owner: "octo", repo: "site" };

  beforeAll(async () => {
    sim = await startSimulator({ rateLimit: { limit: 20, enforce: true } });
    await sim.createRepo({ owner: "octo", name: "site", files: { "a.txt": "a" } });
    octokit = tokenOctokit(sim, sim.personalAccessToken);
  });

  afterAll(() => sim.close());

  beforeEach(() => {
    sim.faults.clear();
    sim.metrics.reset();
    sim.clearViolations();
  });

  test("the next N matching requests answer 5xx, then requests succeed again", async () => {
    sim.faults.inject({ endpoint: "GET /repos/{owner}/{repo}/git/ref/*", kind: "error", status: 502, times: 2 });
    await expect(octokit.rest.git.getRef({ ...repo, ref: "heads/main" })).rejects.toMatchObject({ status: 502 });
    await octokit.rest.repos.get({ ...repo });
    await expect(octokit.rest.git.getRef({ ...repo, ref: "heads/main" })).rejects.toMatchObject({ status: 502 });
    expect((await octokit.rest.git.getRef({ ...repo, ref: "heads/main" })).status).toBe(200);
    expect(sim.faults.pending()).toEqual([]);
  });

  test("primary rate limit: 403 with x-ratelimit-remaining 0 and a reset time", async () => {
    sim.faults.inject({ endpoint: "GET /repos/{owner}/{repo}", kind: "primary-rate-limit", resetInSeconds: 30 });
    const error = await octokit.rest.repos
      .get({ ...repo })
      .catch((caught: { status: number; response: { headers: Record<string, string> } }) => caught);
    expect(error).toMatchObject({ status: 403, response: { headers: { "x-ratelimit-remaining": "0" } } });
    const reset = Number((error as { response: { headers: Record<string, string> } }).response.headers["x-ratelimit-reset"]);
    expect(reset - Date.now() / 1000).toBeGreaterThan(25);
  });

  test("secondary rate limit: 429 or 403 with Retry-After, which Octokit's throttling honours", async () => {
    sim.faults.inject({ endpoint: "graphql:repository", kind: "secondary-rate-limit", status: 429, retryAfterSeconds: 7 });
    await expect(octokit.graphql(`{ repository(owner:"octo", name:"site") { name } }`)).rejects.toMatchObject({
      status: 429,
      response: { headers: { "retry-after": "7" } },
    });
    sim.faults.inject({ endpoint: "GET /repos/{owner}/{repo}", kind: "secondary-rate-limit", retryAfterSeconds: 1 });
    const waits: number[] = [];
    const throttled = new ProbotOctokit({
      auth: { token: sim.personalAccessToken },
      baseUrl: sim.apiUrl,
      retry: { enabled: false },
      throttle: {
        enabled: true,
        retryAfterBaseValue: 1,
        onSecondaryRateLimit: (retryAfter: number) => {
          waits.push(retryAfter);
          return true;
        },
        onRateLimit: () => false,
      },
    });
    expect((await throttled.rest.repos.get({ ...repo })).status).toBe(200);
    expect(waits).toEqual([1]);
  });

  test("latency delays the answer", async () => {
    sim.faults.inject({ endpoint: "GET /repos/{owner}/{repo}", kind: "latency", ms: 300 });
    const started = Date.now();
    await octokit.rest.repos.get({ ...repo });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  test("lose-response: the change is made, the caller sees a 502", async () => {
    const head = sim.head("octo/site")!;
    sim.faults.inject({ endpoint: "graphql:createCommitOnBranch", kind: "lose-response" });
    const mutation = `mutation($input: CreateCommitOnBranchInput!) { createCommitOnBranch(input: $input) { commit { oid } } }`;
    const input = {
      branch: { repositoryNameWithOwner: "octo/site", branchName: "main" },
      expectedHeadOid: head,
      message: { headline: "lost" },
      fileChanges: { additions: [{ path: "lost.txt", contents: "bG9zdA==" }] },
    };
    await expect(octokit.graphql(mutation, { input })).rejects.toMatchObject({ status: 502 });
    expect(sim.head("octo/site")).not.toBe(head);
    expect((await sim.readFile("octo/site", "lost.txt"))!.toString()).toBe("lost");
    sim.faults.inject({ endpoint: "PUT /repos/{owner}/{repo}/contents/{path}", kind: "lose-response", status: 504 });
    await expect(
      octokit.rest.repos.createOrUpdateFileContents({ ...repo, path: "put.txt", message: "m", content: "cHV0" }),
    ).rejects.toMatchObject({ status: 504 });
    expect((await sim.readFile("octo/site", "put.txt"))!.toString()).toBe("put");
  });

  test("counts requests and bytes per endpoint, with a reset", async () => {
    await octokit.rest.repos.get({ ...repo });
    await octokit.rest.repos.get({ ...repo });
    await octokit.rest.repos.getContent({ ...repo, path: "a.txt" });
    await octokit.graphql(`{ repository(owner:"octo", name:"site") { name } rateLimit { remaining } }`);
    const tarball = await octokit.rest.repos.downloadTarballArchive({ ...repo, ref: "main" });
    const snapshot = sim.metrics.snapshot();
    expect(snapshot.byEndpoint["GET /repos/{owner}/{repo}"]).toMatchObject({ requests: 2, statuses: { 200: 2 } });
    expect(snapshot.byEndpoint["GET /repos/{owner}/{repo}/contents/{path}"]!.requests).toBe(1);
    expect(snapshot.byEndpoint["graphql:rateLimit,repository"]!.requests).toBe(1);
    expect(snapshot.byEndpoint["GET /repos/{owner}/{repo}/tarball/{ref}"]).toMatchObject({
      requests: 1,
      bytesOut: 0,
      statuses: { 302: 1 },
    });
    expect(snapshot.byEndpoint["GET /_codeload/{owner}/{repo}/{archive_format}/{ref}"]!.bytesOut).toBe(
      (tarball.data as ArrayBuffer).byteLength,
    );
    expect(snapshot.requests).toBe(6);
    expect(snapshot.bytesOut).toBe(Object.values(snapshot.byEndpoint).reduce((sum, stats) => sum + stats.bytesOut, 0));
    sim.metrics.reset();
    expect(sim.metrics.snapshot()).toEqual({ requests: 0, bytesOut: 0, byEndpoint: {} });
  });

  test("violations: an endpoint GitHub does not have, and a body that breaks the operation's schema", async () => {
    await expect(octokit.request("GET /repos/{owner}/{repo}/not-an-endpoint", { ...repo })).rejects.toMatchObject({ status: 404 });
    await expect(
      octokit.request("POST /repos/{owner}/{repo}/git/trees", {
        ...repo,
        tree: [{ path: "a", mode: "777" as "100644", type: "blob", sha: "x" }],
      }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(octokit.request("GET /repos/{owner}/{repo}/pulls", { ...repo })).rejects.toMatchObject({ status: 404 });
    expect(sim.violations()).toEqual([
      { reason: "not-in-openapi", method: "GET", path: "/api/v3/repos/octo/site/not-an-endpoint" },
      expect.objectContaining({
        reason: "invalid-body",
        endpoint: "POST /repos/{owner}/{repo}/git/trees",
        detail: expect.stringContaining("/tree/0/mode"),
      }),
      expect.objectContaining({ reason: "not-implemented", endpoint: "GET /repos/{owner}/{repo}/pulls" }),
    ]);
  });

  test("conditional requests: a matching If-None-Match is an empty 304 that costs no rate limit", async () => {
    const first = await octokit.rest.repos.get({ ...repo });
    const etag = first.headers.etag!;
    const used = Number(first.headers["x-ratelimit-used"]);
    await expect(octokit.rest.repos.get({ ...repo, headers: { "if-none-match": etag } })).rejects.toMatchObject({
      status: 304,
      response: { headers: { "x-ratelimit-used": String(used) } },
    });
    expect(sim.metrics.snapshot().byEndpoint["GET /repos/{owner}/{repo}"]).toMatchObject({ requests: 2, statuses: { 200: 1, 304: 1 } });
  });

  test("the primary rate limit is enforced per credential when asked", async () => {
    const token = (await octokit.rest.rateLimit.get()).data.resources.core;
    const remaining = token.remaining;
    for (let i = 0; i < remaining; i++) await octokit.rest.repos.get({ ...repo });
    await expect(octokit.rest.repos.get({ ...repo })).rejects.toMatchObject({
      status: 403,
      message: expect.stringContaining("API rate limit exceeded"),
    });
  });
});
