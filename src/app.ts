import type { ApplicationFunction, ApplicationFunctionOptions, Logger, Probot } from "probot";
import { readEnv, type GitdiskConfig } from "./config/env.js";
import { createStore } from "./store/create-store.js";
import type { MirrorStore } from "./store/store.js";
import { startSync, type SyncService } from "./sync/start-sync.js";
import { createApiHandler } from "./api/create-api-handler.js";

export interface GitdiskOptions {
  /** Defaults to the environment (readEnv). */
  config?: GitdiskConfig;
  /** Defaults to the backend the config selects. */
  store?: MirrorStore;
  /** Called once the app is wired, with what a host needs to shut it down cleanly. */
  onReady?: (runtime: GitdiskRuntime) => void;
}

export interface GitdiskRuntime {
  store: MirrorStore;
  sync: SyncService;
  log: Logger;
  /** Stops timers and background work, then closes the store. */
  stop(): Promise<void>;
}

/** Wires gitdisk into a Probot instance: webhooks → sync engine → store ← data API. */
export function createGitdisk(options: GitdiskOptions = {}): ApplicationFunction {
  return (app: Probot, { addHandler }: ApplicationFunctionOptions) => {
    const config = options.config ?? readEnv();
    const store = options.store ?? createStore(config);
    const sync = startSync(app, { store, config });
    addHandler(createApiHandler({ store, config, log: app.log.child({ name: "api" }) }));
    options.onReady?.({
      store,
      sync,
      log: app.log,
      async stop() {
        await sync.stop();
        await store.close();
      },
    });
  };
}
