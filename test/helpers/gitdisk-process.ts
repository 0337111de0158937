/**
 * Runs the real gitdisk server as a child process against a local GitHub simulator, as an operator
 * would run it: the same entry point, configured only through environment variables. Used by the
 * end-to-end tests, the benchmark and `npm run demo`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Simulator } from "../github-sim/start-simulator.js";
import { freePort } from "./free-port.js";
import { processMemory } from "./process-memory.js";

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The node flags `npm start` gives the server (package.json), so tests and the bench run it the same way. */
function startFlags(): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { scripts: { start: string } };
  const flags = /\bnode ((?:--\S+ )*)lib\/entry\/server\.js/.exec(manifest.scripts.start);
  if (!flags) throw new Error(`package.json's start script does not run lib/entry/server.js with node: ${manifest.scripts.start}`);
  return flags[1]!.split(" ").filter((flag) => flag !== "");
}

/** node's arguments to run gitdisk from any working folder: the flags of `npm start`, then the entry. */
export function gitdiskArgs(entry: GitdiskEntry = "source"): string[] {
  // tsx by absolute URL: a working folder of a test's own (with its .env) has no node_modules.
  const tsx = pathToFileURL(path.join(PROJECT_ROOT, "node_modules/tsx/dist/loader.mjs")).href;
  const script =
    entry === "build"
      ? [path.join(PROJECT_ROOT, "lib/entry/server.js")]
      : ["--import", tsx, path.join(PROJECT_ROOT, "src/entry/server.ts")];
  return [...startFlags(), ...script];
}

/**
 * "build": `lib/entry/server.js`, what `npm start` runs (needs `npm run build` first).
 * "source": `src/entry/server.ts` through tsx, so tests need no build step.
 */
export type GitdiskEntry = "build" | "source";

export interface GitdiskProcessOptions {
  entry?: GitdiskEntry;
  /** Reused across restarts to prove what survives one; default a fresh temp folder, removed by stop(). */
  dataDir?: string;
  /** GITDISK_API_KEY; default TEST_API_KEY. */
  apiKey?: string;
  /**
   * Sign-in with GitHub on: the simulator app's client id and secret, GITDISK_SESSION_SECRET (default
   * TEST_SESSION_SECRET), GITDISK_PUBLIC_URL = the server's URL, whose /v1/auth/callback becomes the
   * app's registered callback URL on the simulator.
   */
  signIn?: boolean | { sessionSecret: string };
  /** Extra environment (GITDISK_* settings, LOG_LEVEL, …). */
  env?: Record<string, string>;
  /** The server's working folder (where it reads .env); default its data folder, which has none. */
  cwd?: string;
  /** The port the server listens on (default a free one, given as PORT; one set in a .env of `cwd` wins). */
  port?: number;
  /** Mirror the child's output to ours (the demo); otherwise it is kept for failure messages. */
  inheritOutput?: boolean;
  startTimeoutMs?: number;
}

export interface GitdiskProcess {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly apiKey: string;
  readonly dataDir: string;
  readonly child: ChildProcess;
  /** The last lines the server wrote, for failure messages. */
  output(): string;
  /** Peak resident memory of the server so far, in bytes (Linux /proc; null elsewhere). */
  peakRssBytes(): number | null;
  /**
   * SIGTERM (gitdisk flushes and exits), then SIGKILL after the grace time; returns the exit code.
   * `crash`: SIGKILL at once, as a power loss or the OOM killer would.
   */
  stop(options?: { keepData?: boolean; graceMs?: number; crash?: boolean }): Promise<number | null>;
}

export const TEST_API_KEY = `local-api-key-${"k".repeat(20)}`;
export const TEST_SESSION_SECRET = `local-session-secret-${"s".repeat(24)}`;

/** The environment that turns sign-in on for a server at `url`, and the simulator's matching callback URL. */
function signInEnv(sim: Simulator, url: string, signIn: GitdiskProcessOptions["signIn"]): Record<string, string> {
  if (!signIn) return {};
  sim.setOAuthCallbackUrl(`${url}/v1/auth/callback`);
  return {
    ...sim.oauthEnv(),
    GITDISK_SESSION_SECRET: signIn === true ? TEST_SESSION_SECRET : signIn.sessionSecret,
    GITDISK_PUBLIC_URL: url,
  };
}
const OUTPUT_LIMIT = 64 * 1024;

async function waitUntilHealthy(url: string, child: ChildProcess, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`gitdisk exited with ${child.exitCode} before it was healthy:\n${output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await delay(100);
  }
  throw new Error(`gitdisk did not become healthy at ${url} within ${timeoutMs} ms:\n${output()}`);
}

/** Starts gitdisk with the simulator's app credentials, points the simulator's webhooks at it, waits for /healthz. */
export async function startGitdisk(sim: Simulator, options: GitdiskProcessOptions = {}): Promise<GitdiskProcess> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const apiKey = options.apiKey ?? TEST_API_KEY;
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "gitdisk-e2e-"));
  fs.mkdirSync(dataDir, { recursive: true });
  const child = spawn(process.execPath, gitdiskArgs(options.entry), {
    // Not the project's folder: a .env there (from token mode or the setup page) would override this environment.
    cwd: options.cwd ?? dataDir,
    env: {
      ...process.env,
      // The parent may be jest, whose loader flags must not reach the server.
      NODE_OPTIONS: "",
      ...sim.env(),
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      GITDISK_API_KEY: apiKey,
      LOG_LEVEL: "warn",
      ...signInEnv(sim, url, options.signIn),
      ...options.env,
    },
    stdio: options.inheritOutput ? "inherit" : ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  sim.setWebhookUrl(`${url}/api/github/webhooks`);

  let peak: number | null = null;
  const samplePeak = () => {
    peak = (child.pid === undefined ? null : processMemory(child.pid)?.peakRssBytes) ?? peak;
    return peak;
  };

  const gitdisk: GitdiskProcess = {
    url,
    apiKey,
    dataDir,
    child,
    output: () => output,
    peakRssBytes: samplePeak,
    async stop({ keepData = false, graceMs = 15_000, crash = false } = {}) {
      samplePeak();
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(crash ? "SIGKILL" : "SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
        await exited;
        clearTimeout(timer);
      }
      if (ownsDataDir && !keepData) fs.rmSync(dataDir, { recursive: true, force: true });
      return child.exitCode;
    },
  };
  try {
    await waitUntilHealthy(`${url}/healthz`, child, options.startTimeoutMs ?? 30_000, () => output);
  } catch (error) {
    await gitdisk.stop();
    throw error;
  }
  return gitdisk;
}
