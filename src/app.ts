import type { ApplicationFunction, ApplicationFunctionOptions, Logger, Probot } from "probot";
import { createApiHandler } from "./api/create-api-handler.js";
import { createSignInDeps } from "./api/sign-in-deps.js";
import { AppliedCommits } from "./applied-commits.js";
import { profileRefresher } from "./auth/refresh-profile.js";
import { createMemoryVisitorLimits } from "./auth/visitor-limits.js";
import { BranchHeads } from "./branch-heads.js";
import type { Config } from "./config/read-config.js";
import { createRecordReads } from "./record-reads/record-reads.js";
import { createStore } from "./store/create-store.js";
import type { MirrorStore, Store } from "./store/store.js";
import { type SyncService, startSync } from "./sync/start-sync.js";
import { createWriteback, type Writeback } from "./writeback/create-writeback.js";
import { installationGraphql } from "./writeback/installation-graphql.js";

export interface GitdiskOptions {
  /** Read once by the entry file (readConfig): the app function reads no environment itself. */
  config: Config;
  /** Defaults to the backend the config selects; closed when the app stops. */
  store?: Store;
  /** Whether GitHub accepted the credentials, for `/status` (the server entry checks them). */
  githubAuth?: { readonly summary: string };
  /** Called once the app is wired, with what a host needs to shut it down cleanly. */
  onReady?: (runtime: GitdiskRuntime) => void;
}

export interface GitdiskRuntime {
  store: MirrorStore;
  sync: SyncService;
  writeback: Writeback;
  log: Logger;
  /** Stops timers and background work, then closes the store. */
  stop(): Promise<void>;
}

/** Wires gitdisk into a Probot instance: webhooks → sync engine → store ← data API. */
export function createGitdisk(options: GitdiskOptions): ApplicationFunction {
  return (app: Probot, { addHandler }: ApplicationFunctionOptions) => {
    const { config } = options;
    const tokenMode = config.github.mode.kind === "token";
    const opened = options.store ?? createStore(config.store);
    const { mirror: store, writes: writeStore } = opened;
    // Pushes the sync engine hears of tell the write-back where the branch is before the mirror has it.
    const heads = new BranchHeads();
    // The write-back's own commits, applied to the mirror: their push webhooks wait for this, not for a sync.
    const appliedCommits = new AppliedCommits();
    const sync = startSync(app, { store, config: config.sync, tokenMode, heads, appliedCommits });
    const writeback = createWriteback({
      store,
      writeStore,
      graphqlFor: installationGraphql(app, tokenMode),
      log: app.log.child({ name: "writeback" }),
      options: config.writeback,
      heads,
      appliedCommits,
      catchUpMirror: (repoId) => sync.syncRepo(repoId),
    });
    void writeback.start().catch((error: unknown) => app.log.error({ err: error }, "could not resume queued writes"));
    const { githubAuth } = options;
    // Reads overlay the queue's pending writes, apart from the write-back that commits them.
    const records = createRecordReads({ store, pending: writeStore });
    const log = app.log.child({ name: "api" });
    const api = createApiHandler({
      store,
      config: config.api,
      records,
      log,
      writeback,
      visitorLimits: createMemoryVisitorLimits(),
      keys: opened.keys,
      ...(githubAuth ? { githubAuth } : {}),
      ...(config.signIn
        ? {
            signIn: createSignInDeps(
              config.signIn,
              config.github.apiUrl,
              profileRefresher({ records, accept: (request) => writeback.accept(request), log }),
            ),
          }
        : {}),
    });
    addHandler(api);
    options.onReady?.({
      store,
      sync,
      writeback,
      log: app.log,
      async stop() {
        // Writes first: their flush needs GitHub and the store, and accepts nothing new meanwhile.
        await writeback.stop();
        await sync.stop();
        await opened.close();
      },
    });
  };
}
