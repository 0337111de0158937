import { Probot, Server } from "probot";
import { createStore } from "../../src/store/create-store.js";
import type { MirrorStore } from "../../src/store/store.js";
import { type SyncService, startSync } from "../../src/sync/start-sync.js";
import type { Simulator } from "../github-sim/start-simulator.js";
import { captureLog, type LogLine } from "./capture-log.js";
import { freePort } from "./free-port.js";
import { TestOctokit } from "./test-probot.js";

export interface SimSync {
  store: MirrorStore;
  sync: SyncService;
  logs: LogLine[];
  /** Stops the server and the sync engine and closes the store (the data folder stays). */
  stop(): Promise<void>;
}

/**
 * The sync engine behind Probot's real server (signatures checked, payloads through the webhook
 * path) on a SQLite store in `dataDir`, with the simulator's app and its webhooks pointed at it.
 * Healing is left to the test (`sync.healAll()`), so it runs when the test says.
 */
export async function startSimSync(sim: Simulator, dataDir: string): Promise<SimSync> {
  const opened = createStore({ dataDir, databaseUrl: undefined });
  const store = opened.mirror;
  const { log, lines } = captureLog();
  const port = await freePort();
  const server = new Server({
    port,
    host: "127.0.0.1",
    log,
    Probot: Probot.defaults({
      appId: sim.app.id,
      privateKey: sim.app.privateKey,
      secret: sim.app.webhookSecret,
      baseUrl: sim.apiUrl,
      log,
      Octokit: TestOctokit,
    }),
  });
  let sync: SyncService | undefined;
  await server.load((app) => {
    sync = startSync(app, { store, config: { healIntervalMs: 0 }, tokenMode: false });
  });
  await server.start();
  if (!sync) throw new Error("the app did not start the sync engine");
  const service = sync;
  sim.setWebhookUrl(`http://127.0.0.1:${port}/api/github/webhooks`);
  return {
    store,
    sync: service,
    logs: lines,
    async stop() {
      sim.setWebhookUrl(null);
      await server.stop();
      await service.stop();
      await opened.close();
    },
  };
}
