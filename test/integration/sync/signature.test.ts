import { sign } from "@octokit/webhooks-methods";
import { Probot, Server } from "probot";
import { DEFAULT_REPO_CONFIG } from "../../../src/config/repo-config.js";
import { createStore } from "../../../src/store/create-store.js";
import { type SyncService, startSync } from "../../../src/sync/start-sync.js";
import {
  installationPayload,
  installationRepositoriesPayload,
  pushPayload,
  repositoryPayload,
} from "../../fixtures/events/github-examples.js";
import { captureLog } from "../../helpers/capture-log.js";
import { freePort } from "../../helpers/free-port.js";
import { expectExactlyTheFakedCalls, REPO } from "../../helpers/nock-github.js";
import { makeTempDir } from "../../helpers/temp-dir.js";
import { APP_ID, TestOctokit, testPrivateKey, WEBHOOK_SECRET } from "../../helpers/test-probot.js";

describe("webhook signatures, through Probot's real server", () => {
  const temp = makeTempDir("gitdisk-signature-");
  const opened = createStore({ dataDir: temp.dir, databaseUrl: undefined });
  const store = opened.mirror;
  let server: Server;
  let sync: SyncService | undefined;
  let url: string;
  const captured = captureLog();

  beforeAll(async () => {
    const port = await freePort();
    const { log } = captured;
    server = new Server({
      port,
      host: "127.0.0.1",
      log,
      Probot: Probot.defaults({ appId: APP_ID, privateKey: testPrivateKey(), secret: WEBHOOK_SECRET, log, Octokit: TestOctokit }),
    });
    await server.load((app) => {
      sync = startSync(app, { store, config: { healIntervalMs: 0 }, tokenMode: false });
    });
    await server.start();
    url = `http://127.0.0.1:${port}/api/github/webhooks`;
    await store.upsertRepo({ ...REPO, installationId: 957387 }, { branch: "master", config: DEFAULT_REPO_CONFIG });
  });
  afterAll(async () => {
    await server.stop();
    await sync?.stop();
    await opened.close();
    temp.cleanup();
  });

  const body = JSON.stringify(installationPayload("deleted"));
  const post = (headers: Record<string, string>) =>
    fetch(url, {
      method: "POST",
      body,
      headers: { "content-type": "application/json", "x-github-event": "installation", "x-github-delivery": "d-1", ...headers },
    });

  it("refuses a missing or wrong X-Hub-Signature-256 with 400 and changes nothing", async () => {
    expect((await post({})).status).toBe(400);
    expect((await post({ "x-hub-signature-256": await sign("another secret", body) })).status).toBe(400);
    expect((await post({ "x-hub-signature-256": `sha256=${"0".repeat(64)}` })).status).toBe(400);
    expect(await store.getRepo(REPO.id)).not.toBeNull();
    expectExactlyTheFakedCalls();
  });

  it.each([
    ["push", "ref a number", { ...pushPayload({ before: "a".repeat(40), after: "b".repeat(40) }), ref: 5 }, "ref 5 is not a git ref"],
    [
      "push",
      "after an object",
      { ...pushPayload({ before: "a".repeat(40), after: "b".repeat(40) }), after: {} },
      "after is not a 40-hex commit id",
    ],
    [
      "push",
      "repository a string",
      { ...pushPayload({ before: "a".repeat(40), after: "b".repeat(40) }), repository: "x" },
      "repository is missing or has no id and name",
    ],
    [
      "push",
      "installation.id a string",
      { ...pushPayload({ before: "a".repeat(40), after: "b".repeat(40) }), installation: { id: "957387" } },
      "installation.id is not a positive integer",
    ],
    [
      "push",
      "installation.id not a number at all",
      { ...pushPayload({ before: "a".repeat(40), after: "b".repeat(40) }), installation: { id: "abc" } },
      "installation.id is not a positive integer",
    ],
    [
      "repository",
      "repository a string",
      { ...repositoryPayload("privatized", REPO), repository: "x" },
      "repository is missing or has no id",
    ],
    [
      "installation",
      "installation.id an object",
      { ...installationPayload("deleted"), installation: { id: {} } },
      "installation.id is not a positive integer",
    ],
    [
      "installation_repositories",
      "repositories_removed a string",
      { ...installationRepositoriesPayload("removed", [REPO]), repositories_removed: "all" },
      "repositories_removed is not a list",
    ],
    ["push", "payload null", null, "payload is not a JSON object"],
  ])(
    "answers a signed %s delivery with %s 200, ignores it with one log line naming the field, changes nothing",
    async (event, _case, payload, problem) => {
      const before = await store.getRepo(REPO.id);
      const signed = JSON.stringify(payload);
      const answer = await fetch(url, {
        method: "POST",
        body: signed,
        headers: {
          "content-type": "application/json",
          "x-github-event": event,
          "x-github-delivery": `bad-${event}-${_case}`,
          "x-hub-signature-256": await sign(WEBHOOK_SECRET, signed),
        },
      });
      expect(answer.status).toBe(200);
      expect(await store.getRepo(REPO.id)).toEqual(before);
      expectExactlyTheFakedCalls();
      const lines = captured.lines.filter((line) => line.id === `bad-${event}-${_case}` && line.level >= 40);
      expect(lines).toEqual([
        expect.objectContaining({
          msg: "ignored a webhook delivery whose payload gitdisk cannot use",
          problem: expect.stringContaining(problem),
        }),
      ]);
    },
  );

  it("accepts the same delivery correctly signed", async () => {
    expect((await post({ "x-hub-signature-256": await sign(WEBHOOK_SECRET, body) })).status).toBe(200);
    expect(await store.getRepo(REPO.id)).toBeNull();
  });
});
