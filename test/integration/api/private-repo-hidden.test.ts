import { ROUTES } from "../../../src/api/api-app.js";
import type { ApiResponse } from "../../../src/api/api-types.js";
import { captureLog } from "../../helpers/capture-log.js";
import { type InProcessApi, type InProcessRequest, inProcessApi } from "../../helpers/in-process-api.js";
import { testConfig } from "../../helpers/test-config.js";
import { createHarness, file, type Harness, REPO_ID, TEST_CONFIG } from "../writeback/writeback-harness.js";

const KEY = "site-key-0123456789abcdef";
const config = testConfig({ apiKey: KEY });
const keyed = { authorization: `Bearer ${KEY}` };

/** Values for every route parameter: something the repository has, and something it has not. */
function paramSets(writeId: string): Array<Record<string, string>> {
  return [
    { owner: "octo", repo: "site", path: "data/users/alice.json", name: "likes", id: "post-1/zed", writeId },
    { owner: "octo", repo: "site", path: "notes/missing.md", name: "nope", id: "post-9/nobody", writeId: "0".repeat(26) },
  ];
}

function requestsFor(writeId: string): InProcessRequest[] {
  return ROUTES.flatMap((route) =>
    paramSets(writeId).map((params): InProcessRequest => {
      const path = route.pattern.replace(/\{(\w+)(\.\.\.)?\}/g, (_, name: string, rest?: string) => {
        const value = params[name];
        if (value === undefined) throw new Error(`no test value for {${name}} of ${route.pattern}: add one to paramSets`);
        return rest ? value : encodeURIComponent(value);
      });
      const body = route.method === "GET" || route.method === "DELETE" ? {} : { body: Buffer.from('{"doc":"post-1","name":"x"}') };
      return {
        method: route.method,
        path,
        query: "",
        headers: { "content-type": "application/json", "x-gitdisk-user": "mallory" },
        ...body,
      };
    }),
  );
}

describe("a private repository without the key", () => {
  let h: Harness;
  let router: InProcessApi;
  let writeId: string;

  async function makePrivate(publicGlobs: string[]): Promise<void> {
    const repo = await h.repo();
    await h.store.upsertRepo({ ...repo, private: true }, { branch: repo.branch, config: repo.config });
    await h.store.updateRepo(REPO_ID, {
      config: { ...TEST_CONFIG, api: { ...TEST_CONFIG.api, public: publicGlobs } },
      lastError: "GitHub answered 502 Bad Gateway",
    });
  }

  beforeEach(async () => {
    h = await createHarness(undefined, [
      file("data/users/alice.json", '{"name":"Alice"}'),
      file("data/likes/post-1/zed.json", '{"doc":"post-1"}'),
    ]);
    router = inProcessApi({ store: h.store, config, log: captureLog().log, records: h.records, writeback: h.writeback });
    const accepted = await router.route({
      method: "POST",
      path: "/v1/repos/octo/site/collections/likes",
      query: "",
      headers: { ...keyed, "x-gitdisk-user": "ann", "content-type": "application/json" },
      body: Buffer.from('{"doc":"post-2"}'),
    });
    writeId = (accepted.body as { writeId: string }).writeId;
  });
  afterEach(async () => {
    await h.close({ crash: true });
  });

  const answer = async (request: InProcessRequest) => {
    const response: ApiResponse = await router.route(request);
    return { request: `${request.method} ${request.path}`, ...response };
  };

  it("answers every route exactly as for a repository that is not mirrored here, when its config opens nothing", async () => {
    await makePrivate([]);
    const requests = requestsFor(writeId);
    const hidden: Array<ApiResponse & { request: string }> = [];
    for (const request of requests) hidden.push(await answer(request));
    await h.store.deleteRepo(REPO_ID);
    const unknown: typeof hidden = [];
    for (const request of requests) unknown.push(await answer(request));

    expect(hidden).toEqual(unknown);
    // The repository routes; sign-in's own (/v1/auth) name no repository in their path.
    expect(hidden.filter(({ request }) => request.startsWith("GET /v1/repos/")).map(({ status }) => status)).toEqual(
      requests.filter(({ method, path }) => method === "GET" && path.startsWith("/v1/repos/")).map(() => 404),
    );
  });

  it("with the key, or with api.public globs, shows itself; a wrong key is a 401 that says nothing of it", async () => {
    await makePrivate([]);
    expect((await router.route({ method: "GET", path: "/v1/repos/octo/site/status", query: "", headers: keyed })).status).toBe(200);
    expect(
      (await router.route({ method: "GET", path: "/v1/repos/octo/site/tree", query: "", headers: { authorization: "Bearer wrong" } }))
        .status,
    ).toBe(401);

    await makePrivate(["data/likes/**"]);
    const tree = await router.route({ method: "GET", path: "/v1/repos/octo/site/tree", query: "", headers: {} });
    expect((tree.body as { files: Array<{ path: string }> }).files.map(({ path }) => path)).toEqual(["data/likes/post-1/zed.json"]);
    const likes = await router.route({ method: "GET", path: "/v1/repos/octo/site/collections/likes", query: "", headers: {} });
    expect(likes.body).toMatchObject({ items: [{ id: "post-1/zed" }, { id: "post-2/ann" }], count: 2 });
    expect((await router.route({ method: "GET", path: "/v1/repos/octo/site/status", query: "", headers: {} })).status).toBe(404);
    expect((await router.route({ method: "GET", path: `/v1/repos/octo/site/writes/${writeId}`, query: "", headers: {} })).status).toBe(404);
  });

  it("names the other collections only to the key, which may read the config", async () => {
    await makePrivate(["data/likes/**"]);
    const asked = (headers: Record<string, string>) =>
      router.route({ method: "GET", path: "/v1/repos/octo/site/collections/nope", query: "", headers });
    expect((await asked({})).body).toEqual({ error: { code: "not_found", message: 'no collection "nope"' } });
    expect((await asked(keyed)).body).toEqual({
      error: { code: "not_found", message: expect.stringMatching(/^no collection "nope"; this repository has /) },
    });
  });
});
