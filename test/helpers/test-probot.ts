import { generateKeyPairSync } from "node:crypto";
import { sign } from "@octokit/webhooks-methods";
import { Probot, ProbotOctokit } from "probot";
import type { AppliedCommits } from "../../src/applied-commits.js";
import { createStore } from "../../src/store/create-store.js";
import type { MirrorStore } from "../../src/store/store.js";
import { type SyncService, startSync } from "../../src/sync/start-sync.js";
import { captureLog, type LogLine } from "./capture-log.js";
import { takeUnmatchedRequests } from "./nock-github.js";
import { makeTempDir } from "./temp-dir.js";

export const APP_ID = 4242;
export const WEBHOOK_SECRET = "test-webhook-secret";

let privateKey: string | undefined;

/** One RSA key for the whole test run: generating it is the slow part of building a Probot. */
export function testPrivateKey(): string {
  privateKey ??= generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  }).privateKey;
  return privateKey;
}

/**
 * Probot's Octokit without retries or throttling, so a faked failure shows at once and calls are not
 * spaced out. A function, because Probot merges its own throttle options over object defaults.
 */
export const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

export interface SyncHarness {
  probot: Probot;
  store: MirrorStore;
  /** The store's folder, to look at its database directly. */
  dataDir: string;
  sync: SyncService;
  logs: LogLine[];
  /** Delivers a webhook signed, the way Probot's server does (a fresh X-GitHub-Delivery id unless `id`). */
  receive(name: string, payload: object, id?: string): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  healIntervalMs?: number;
  /** Token mode instead of a GitHub App. */
  githubToken?: string;
  now?: () => Date;
  /** GITDISK_MAX_REPO_BYTES. */
  maxRepoBytes?: number;
  /** Where a test announces, as the write-back would, the commits it applied to the mirror. */
  appliedCommits?: AppliedCommits;
}

let deliveries = 0;

/** A real Probot (as a GitHub App unless `githubToken`) running the sync engine on a real SQLite store in a temp dir. */
export async function startSyncHarness(options: HarnessOptions = {}): Promise<SyncHarness> {
  takeUnmatchedRequests(); // what an earlier, failed test left behind
  const temp = makeTempDir("gitdisk-sync-");
  const opened = createStore({
    dataDir: temp.dir,
    databaseUrl: undefined,
    ...(options.maxRepoBytes === undefined ? {} : { maxRepoBytes: options.maxRepoBytes }),
  });
  const store = opened.mirror;
  const captured = captureLog();
  const probot = new Probot({
    ...(options.githubToken ? { githubToken: options.githubToken } : { appId: APP_ID, privateKey: testPrivateKey() }),
    secret: WEBHOOK_SECRET,
    log: captured.log,
    Octokit: TestOctokit,
  });
  let sync: SyncService | undefined;
  await probot.load(
    (app) => {
      sync = startSync(app, {
        store,
        config: { healIntervalMs: options.healIntervalMs ?? 0 },
        tokenMode: options.githubToken !== undefined,
        ...(options.now ? { now: options.now } : {}),
        ...(options.appliedCommits ? { appliedCommits: options.appliedCommits } : {}),
      });
    },
    { cwd: process.cwd(), addHandler: () => {} },
  );
  if (!sync) throw new Error("the app did not start the sync engine");
  const service = sync;
  return {
    probot,
    store,
    dataDir: temp.dir,
    sync: service,
    logs: captured.lines,
    async receive(name, payload, id = `delivery-${++deliveries}`) {
      const body = JSON.stringify(payload);
      await probot.webhooks.verifyAndReceive({ id, name, payload: body, signature: await sign(WEBHOOK_SECRET, body) });
    },
    async close() {
      await service.stop();
      await opened.close();
      temp.cleanup();
    },
  };
}

/** The mirror as path → content (latin1, so any bytes compare exactly). */
export async function mirroredFiles(store: MirrorStore, repoId: number): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const entry of await store.listFiles(repoId)) {
    result[entry.path] = (await store.getFile(repoId, entry.path))!.content.toString("latin1");
  }
  return result;
}
