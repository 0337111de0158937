import { getTransformStream } from "@probot/pino";
import { honoPattern, MAX_URL_LENGTH, ownsPath } from "../../../src/api/api-app.js";
import type { Route } from "../../../src/api/api-types.js";
import { DEFAULT_REPO_CONFIG } from "../../../src/config/repo-config.js";
import { BadRequestError } from "../../../src/errors.js";
import { gitBlobSha } from "../../../src/git/blob-sha.js";
import { createRecordReads } from "../../../src/record-reads/record-reads.js";
import { openSqliteStore } from "../../../src/store/sqlite/sqlite-store.js";
import type { MirrorStore, Store } from "../../../src/store/store.js";
import { captureLog, DEBUG, ERROR } from "../../helpers/capture-log.js";
import { type InProcessRequest, inProcessApi } from "../../helpers/in-process-api.js";
import { makeTempDir } from "../../helpers/temp-dir.js";
import { testConfig } from "../../helpers/test-config.js";

const API_KEY = "k".repeat(32);

const echo: Route["handle"] = async ({ request, params, query, access }) => ({
  status: 200,
  body: { method: request.method, params, query: Object.fromEntries(query), key: access.key },
});
const testRoutes: Route[] = [
  { method: "GET", pattern: "/v1/echo/{name}", handle: echo },
  { method: "POST", pattern: "/v1/echo/{name}", handle: echo },
  { method: "GET", pattern: "/v1/refuse", handle: async () => Promise.reject(new BadRequestError("no thanks")) },
  { method: "GET", pattern: "/v1/boom", handle: async () => Promise.reject(new Error("database password is hunter2")) },
];

function get(path: string, extra: Partial<InProcessRequest> = {}): InProcessRequest {
  const queryStart = path.indexOf("?");
  return {
    method: "GET",
    path: queryStart === -1 ? path : path.slice(0, queryStart),
    query: queryStart === -1 ? "" : path.slice(queryStart + 1),
    headers: {},
    ...extra,
  };
}

describe("the data API app", () => {
  let temp: ReturnType<typeof makeTempDir>;
  let opened: Store;
  let store: MirrorStore;
  let captured: ReturnType<typeof captureLog>;
  const config = (apiKey: string | undefined) => testConfig({ apiKey, maxBodyBytes: 1024 });
  const router = (routes?: Route[], { apiKey }: { apiKey?: string } = { apiKey: API_KEY }) =>
    inProcessApi({ store, config: config(apiKey), log: captured.log, records: createRecordReads({ store }) }, routes);

  beforeEach(() => {
    temp = makeTempDir();
    opened = openSqliteStore(temp.dir);
    store = opened.mirror;
    captured = captureLog();
  });
  afterEach(async () => {
    await opened.close();
    temp.cleanup();
  });

  it("owns /v1/… and /healthz only", () => {
    expect(["/v1/repos/a/b/tree", "/v1/x", "/healthz"].map(ownsPath)).toEqual([true, true, true]);
    expect(["/v1", "/api/github/webhooks", "/healthz/", "/ping", "/"].map(ownsPath)).toEqual([false, false, false, false, false]);
  });

  it("dispatches by method and pattern with decoded params and query, HEAD running GET, and adds CORS", async () => {
    const { route } = router(testRoutes);
    const response = await route(get("/v1/echo/a%20b?x=1&y=%2F"));
    expect(response).toEqual({
      status: 200,
      headers: {
        "access-control-allow-origin": "*",
        "access-control-expose-headers": "ETag, Location, Allow, WWW-Authenticate",
        "content-type": "application/json; charset=utf-8",
        vary: "Origin",
        "content-length": "78",
      },
      body: { method: "GET", params: { name: "a b" }, query: { x: "1", y: "/" }, key: false },
    });
    // HEAD runs GET and sends its headers, without the body.
    const head = await route(get("/v1/echo/x", { method: "HEAD" }));
    const headBody = { method: "HEAD", params: { name: "x" }, query: {}, key: false };
    expect(head).toMatchObject({ status: 200, headers: { "content-length": String(JSON.stringify(headBody).length) } });
    expect(head.body).toBeUndefined();
    expect((await route(get("/v1/echo/x", { method: "POST" }))).body).toMatchObject({ method: "POST" });
  });

  it("answers 405 with Allow for a known path and another method", async () => {
    const response = await router(testRoutes).route(get("/v1/echo/x", { method: "DELETE" }));
    expect(response.status).toBe(405);
    expect(response.headers).toMatchObject({ allow: "GET, POST, HEAD, OPTIONS", "access-control-allow-origin": "*" });
    expect(response.body).toEqual({ error: { code: "method_not_allowed", message: expect.stringMatching(/^DELETE is not allowed/) } });
  });

  it("answers a preflight with the path's methods and the headers browsers may send", async () => {
    const response = await router(testRoutes).route(get("/v1/echo/x", { method: "OPTIONS" }));
    expect(response).toMatchObject({
      status: 204,
      headers: {
        "access-control-allow-origin": "*",
        "access-control-expose-headers": "ETag, Location, Allow, WWW-Authenticate",
        "access-control-allow-methods": "GET, POST, HEAD, OPTIONS",
        "access-control-allow-headers": "Authorization, Content-Type, If-None-Match, If-Match, X-Gitdisk-User",
        "access-control-max-age": "600",
      },
    });
  });

  it("answers 404 JSON for an unknown route and logs the refusal once, at debug, in one line as Probot prints it", async () => {
    const response = await router(testRoutes).route(get("/v1/nothing/here"));
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: { code: "not_found", message: "no data API route /v1/nothing/here" } });
    expect(captured.lines).toEqual([
      expect.objectContaining({
        level: DEBUG,
        req: { method: "GET", url: "/v1/nothing/here" },
        res: { statusCode: 404, code: "not_found" },
      }),
    ]);
    const pretty = await getTransformStream();
    const printed = new Promise<string>((resolve) => pretty.once("data", (chunk: Buffer | string) => resolve(chunk.toString())));
    pretty.write(JSON.stringify({ ...captured.lines[0], name: "api" }));
    expect((await printed).trimEnd().split("\n")).toEqual([
      expect.stringMatching(/^DEBUG \(api\): GET \/v1\/nothing\/here refused: 404 not_found: no data API route \/v1\/nothing\/here$/),
    ]);
  });

  it("maps thrown AppErrors to their status", async () => {
    const response = await router(testRoutes).route(get("/v1/refuse"));
    expect(response).toMatchObject({ status: 400, body: { error: { code: "bad_request", message: "no thanks" } } });
    expect(response.headers).toMatchObject({ "cache-control": "no-store", "access-control-allow-origin": "*" });
  });

  it("answers 414 for a URL over the limit, counting the query", async () => {
    const { route } = router(testRoutes);
    const path = `/v1/echo/${"x".repeat(MAX_URL_LENGTH - "/v1/echo/".length)}`;
    expect((await route(get(path))).status).toBe(200);
    expect((await route(get(`${path}?`))).status).toBe(200);
    expect((await route(get(`${path}?a`))).status).toBe(414);
    expect((await route(get(`${path}y`))).status).toBe(414);
  });

  it("checks the key before any handler: right key, no key, wrong key", async () => {
    const { route } = router(testRoutes);
    expect((await route(get("/v1/echo/x", { headers: { authorization: `Bearer ${API_KEY}` } }))).body).toMatchObject({ key: true });
    const wrong = await route(get("/v1/echo/x", { headers: { authorization: "Bearer not-the-key" } }));
    expect(wrong.status).toBe(401);
    expect(wrong.headers).toMatchObject({ "www-authenticate": 'Bearer realm="gitdisk"' });
  });

  it("hides an unexpected error behind a generic 500 and logs its stack", async () => {
    const response = await router(testRoutes).route(get("/v1/boom"));
    expect(response.status).toBe(500);
    expect(JSON.stringify(response.body)).not.toContain("hunter2");
    expect(captured.lines).toEqual([
      expect.objectContaining({
        level: ERROR,
        path: "/v1/boom",
        err: expect.objectContaining({ stack: expect.stringContaining("hunter2") }),
      }),
    ]);
  });

  it("reads the body only when the route asks, after the key check, and refuses it past the limit", async () => {
    const reads: Route[] = [
      {
        method: "POST",
        pattern: "/v1/body",
        handle: async ({ body }) => ({ status: 200, body: { length: (await body()).length } }),
      },
    ];
    const { route } = router(reads);
    const keyed = { authorization: `Bearer ${API_KEY}` };
    const post = (body: Buffer, headers: Record<string, string> = keyed) => route(get("/v1/body", { method: "POST", headers, body }));
    expect((await post(Buffer.from("abc"))).body).toEqual({ length: 3 });
    expect((await post(Buffer.alloc(2048), { authorization: "Bearer wrong" })).status).toBe(401);
    const response = await post(Buffer.alloc(2048));
    expect(response).toMatchObject({
      status: 413,
      headers: { "access-control-allow-origin": "*" },
      body: { error: { code: "payload_too_large" } },
    });
    expect(captured.lines.at(-1)).toEqual(
      expect.objectContaining({
        level: DEBUG,
        req: { method: "POST", url: "/v1/body" },
        res: { statusCode: 413, code: "payload_too_large" },
      }),
    );
    // Declared too large: refused before the key is checked, the body never asked for.
    const declared = await post(Buffer.from("{}"), { "content-length": "2048" });
    expect(declared.status).toBe(413);
  });

  it("answers invalid percent-encoding with 400, where Hono would pass the raw text on", async () => {
    const { route } = router(testRoutes);
    for (const path of ["/v1/echo/a%zz", "/v1/echo/%E0%A4%A"]) {
      expect(await route(get(path))).toMatchObject({
        status: 400,
        body: { error: { code: "bad_request", message: "the URL has invalid percent-encoding" } },
      });
    }
    // Decoded once: %252F names "%2F", and an encoded slash never separates segments.
    expect((await route(get("/v1/echo/%252F"))).body).toMatchObject({ params: { name: "%2F" } });
    expect((await route(get("/v1/echo/a%2Fb"))).body).toMatchObject({ params: { name: "a/b" } });
    expect((await route(get("/v1/echo/a/b"))).status).toBe(404);
    expect((await route(get("/v1/echo/"))).status).toBe(404);
  });

  it("sends each cookie as a Set-Cookie header of its own", async () => {
    const cookies = ["a=1; HttpOnly", "b=2; Path=/; Expires=Wed, 21 Oct 2037 07:28:00 GMT"];
    const { route } = router([{ method: "GET", pattern: "/v1/cookies", handle: async () => ({ status: 204, cookies }) }]);
    expect(await route(get("/v1/cookies"))).toMatchObject({ status: 204, cookies });
  });

  it("translates route patterns for Hono and refuses malformed ones", () => {
    expect(honoPattern("/v1/repos/{owner}/{repo}/files/{path...}")).toBe("/v1/repos/:owner/:repo/files/:path{.+}");
    expect(honoPattern("/healthz")).toBe("/healthz");
    expect(() => honoPattern("v1/x")).toThrow(/start with/);
    expect(() => honoPattern("/v1/{rest...}/x")).toThrow(/not last/);
    expect(() => honoPattern("/v1/{bad-name}")).toThrow(/malformed/);
  });

  it("says private content is not readable when the server has no key", async () => {
    await store.upsertRepo(
      { id: 9, owner: "octo", name: "secret", private: true, defaultBranch: "main", installationId: 1 },
      { branch: "main", config: { ...DEFAULT_REPO_CONFIG, api: { ...DEFAULT_REPO_CONFIG.api, public: ["docs/**"] } } },
    );
    const content = Buffer.from("x");
    await store.applyChanges(9, {
      fromSha: null,
      toSha: "1".repeat(40),
      upserts: [{ path: "a.md", content, sha: gitBlobSha(content), size: 1 }],
      deletes: [],
    });
    const { route } = router(undefined, {});
    const response = await route(get("/v1/repos/octo/secret/files/a.md"));
    expect(response).toMatchObject({ status: 401, body: { error: { message: expect.stringContaining("GITDISK_API_KEY is not set") } } });
    expect((await route(get("/v1/repos/octo/secret/status", { headers: { authorization: "Bearer anything-at-all" } }))).status).toBe(401);
  });

  it("answers /healthz from the store", async () => {
    expect(await router().route(get("/healthz"))).toMatchObject({ status: 200, body: { status: "ok" } });
    await opened.close();
    const response = await router().route(get("/healthz"));
    expect(response).toMatchObject({ status: 503, body: { error: { code: "unavailable" } } });
    opened = openSqliteStore(temp.dir);
    store = opened.mirror;
  });
});
