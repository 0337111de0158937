import { sign } from "@octokit/webhooks-methods";
import { Probot, Server } from "probot";
import { installationPayload } from "../../fixtures/events/github-examples.js";
import { REPO, expectExactlyTheFakedCalls } from "../../helpers/nock-github.js";
import { APP_ID, TestOctokit, WEBHOOK_SECRET, testPrivateKey } from "../../helpers/test-probot.js";
import { makeTempDir } from "../../helpers/temp-dir.js";
import { DEFAULT_REPO_CONFIG } from "../../../src/config/repo-config.js";
import { createStore } from "../../../src/store/create-store.js";
import { startSync, type SyncService } from "../../../src/sync/start-sync.js";
import { captureLog } from "../../unit/api/capture-log.js";
import { freePort } from "../../helpers/free-port.js";

describe("webhook signatures, through Probot's real server", () => {
  const temp = makeTempDir("gitdisk-signature-");
  const store = createStore({ dataDir: temp.dir, databaseUrl: undefined });
  let server: Server;
  let sync: SyncService | undefined;
  let url: string;

  beforeAll(async () => {
    const port = await freePort();
    const { log } = captureLog();
    server = new Server({
      port,
      host: "127.0.0.1",
      log,
      Probot: Probot.defaults({ appId: APP_ID, privateKey: testPrivateKey(), secret: WEBHOOK_SECRET, log, Octokit: TestOctokit }),
    });
    await server.load((app) => {
      sync = startSync(app, { store, config: { healIntervalMs: 0, githubToken: undefined } });
    });
    await server.start();
    url = `http://127.0.0.1:${port}/api/github/webhooks`;
    await store.upsertRepo({ ...REPO, installationId: 957387 }, { branch: "master", config: DEFAULT_REPO_CONFIG });
  });
  afterAll(async () => {
    await server.stop();
    await sync?.stop();
    await store.close();
    temp.cleanup();
  });

  const body = JSON.stringify(installationPayload("deleted"));
  const post = (headers: Record<string, string>) =>
    fetch(url, { method: "POST", body, headers: { "content-type": "application/json", "x-github-event": "installation", "x-github-delivery": "d-1", ...headers } });

  it("refuses a missing or wrong X-Hub-Signature-256 with 400 and changes nothing", async () => {
    expect((await post({})).status).toBe(400);
    expect((await post({ "x-hub-signature-256": await sign("another secret", body) })).status).toBe(400);
    expect((await post({ "x-hub-signature-256": "sha256=" + "0".repeat(64) })).status).toBe(400);
    expect(await store.getRepo(REPO.id)).not.toBeNull();
    expectExactlyTheFakedCalls();
  });

  it("accepts the same delivery correctly signed", async () => {
    expect((await post({ "x-hub-signature-256": await sign(WEBHOOK_SECRET, body) })).status).toBe(200);
    expect(await store.getRepo(REPO.id)).toBeNull();
  });
});
