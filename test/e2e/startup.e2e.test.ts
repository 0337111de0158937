/**
 * End to end: starting the real server as a newcomer would, from a working folder holding a `.env`, against
 * the simulator — which mode runs, on which port, with which secret — and stopping it.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { type Simulator, startSimulator } from "../github-sim/start-simulator.js";
import { freePort } from "../helpers/free-port.js";
import { type GitdiskProcess, gitdiskArgs, PROJECT_ROOT, startGitdisk, TEST_API_KEY } from "../helpers/gitdisk-process.js";
import { postWebhookBody } from "../helpers/post-webhook-body.js";
import { makeTempDir } from "../helpers/temp-dir.js";

const TIMEOUT_MS = 120_000;

let sim: Simulator;
let temp: { dir: string; cleanup: () => void };
const running: GitdiskProcess[] = [];

beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(async () => {
  await sim?.close();
});
beforeEach(() => {
  temp = makeTempDir("gitdisk-startup-");
});
afterEach(async () => {
  for (const gitdisk of running.splice(0)) await gitdisk.stop({ graceMs: 5_000 });
  temp.cleanup();
});

/** A working folder with this `.env`. */
function folderWithDotEnv(name: string, lines: Record<string, string>): string {
  const cwd = path.join(temp.dir, name);
  fs.mkdirSync(cwd, { recursive: true });
  fs.writeFileSync(
    path.join(cwd, ".env"),
    Object.entries(lines)
      .map(([key, value]) => `${key}=${value}\n`)
      .join(""),
  );
  return cwd;
}

/** The environment of the shell gitdisk is started from: the simulator's app, its own port and data folder. */
function shellEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_OPTIONS: "",
    ...sim.env(),
    HOST: "127.0.0.1",
    DATA_DIR: path.join(temp.dir, "data"),
    GITDISK_API_KEY: TEST_API_KEY,
    LOG_LEVEL: "warn",
    ...extra,
  };
}

/** Runs gitdisk until it exits by itself (or `timeoutMs` passes: then it is killed and `code` is null). */
function runUntilExit(cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 20_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, gitdiskArgs(), { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Token mode settings a newcomer puts in .env, against the simulator. */
async function tokenModeDotEnv(port: number, token = sim.personalAccessToken): Promise<Record<string, string>> {
  const { GHE_HOST, GHE_PROTOCOL, WEBHOOK_SECRET } = sim.env();
  return {
    APP_ID: "",
    GITHUB_TOKEN: token,
    WEBHOOK_SECRET: WEBHOOK_SECRET!,
    GHE_HOST: GHE_HOST!,
    GHE_PROTOCOL: GHE_PROTOCOL!,
    PORT: String(port),
    LOG_LEVEL: "info",
  };
}

async function statusOf(gitdisk: GitdiskProcess, fullName: string): Promise<Record<string, unknown> | null> {
  const response = await fetch(`${gitdisk.url}/v1/repos/${fullName}/status`, { headers: { authorization: `Bearer ${gitdisk.apiKey}` } });
  return response.status === 404 ? null : ((await response.json()) as Record<string, unknown>);
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  context: () => string = () => "",
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${context()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("gitdisk's start-up", () => {
  it.each([
    ["app mode, WEBHOOK_SECRET blank in .env", { WEBHOOK_SECRET: "" }, /WEBHOOK_SECRET is empty/],
    [
      "app mode, WEBHOOK_SECRET=development in .env",
      { WEBHOOK_SECRET: "development" },
      /WEBHOOK_SECRET is the public placeholder "development"/,
    ],
    ["token mode, WEBHOOK_SECRET blank in .env", { GITHUB_TOKEN: "ghp_x", WEBHOOK_SECRET: "" }, /WEBHOOK_SECRET is empty/],
  ])(
    "refuses to start: %s (the shell's secret is overridden by .env)",
    async (_case, dotEnv, message) => {
      const { code, output } = await runUntilExit(folderWithDotEnv("blank-secret", dotEnv), shellEnv({ PORT: String(await freePort()) }));
      expect({ code, output }).toEqual({ code: 1, output: expect.stringMatching(message) });
    },
    TIMEOUT_MS,
  );

  it(
    "runs token mode from .env alone: on the .env PORT, mirroring, and says so; a refused token is reported at start and in /status",
    async () => {
      const [dotEnvPort, shellPort] = [await freePort(), await freePort()];
      const cwd = folderWithDotEnv("token-mode", await tokenModeDotEnv(dotEnvPort));
      const dataDir = path.join(temp.dir, "token-data");
      const gitdisk = await startGitdisk(sim, { cwd, port: dotEnvPort, dataDir, env: { PORT: String(shellPort) } });
      expect(gitdisk.output()).toContain(`gitdisk running in token mode on http://127.0.0.1:${dotEnvPort}`);
      running.push(gitdisk);
      expect(gitdisk.output()).toContain(`GitHub API ${sim.env().GHE_PROTOCOL}://${sim.env().GHE_HOST}/api/v3`);

      await sim.createRepo({ owner: "octo", name: "token-site", files: { "README.md": "hello" } });
      // The simulator delivers webhooks of installed repositories only; in token mode gitdisk ignores the installation.
      sim.install("octo", ["token-site"]);
      const pushed = await sim.push("octo/token-site", { commits: [{ files: { "post.md": "first post" } }] });
      const status = await waitFor(
        "the mirror",
        async () => {
          const current = await statusOf(gitdisk, "octo/token-site");
          return current?.sha === pushed.after && current;
        },
        gitdisk.output,
      );
      expect(status).toMatchObject({ files: 2, githubAuth: "ok" });
      await waitFor(
        "the credentials log line",
        async () => gitdisk.output().includes("GitHub accepts gitdisk's credentials (user "),
        gitdisk.output,
      );
      await gitdisk.stop({ keepData: true });

      fs.writeFileSync(
        path.join(cwd, ".env"),
        Object.entries(await tokenModeDotEnv(dotEnvPort, "ghp_revoked"))
          .map(([key, value]) => `${key}=${value}\n`)
          .join(""),
      );
      const refused = await startGitdisk(sim, { cwd, port: dotEnvPort, dataDir, env: { PORT: String(shellPort) } });
      running.push(refused);
      const answer = await waitFor(
        "githubAuth to be decided",
        async () => {
          const current = await statusOf(refused, "octo/token-site");
          return current?.githubAuth !== "checking" && current;
        },
        refused.output,
      );
      expect(answer.githubAuth).toMatch(/^refused: 401 /);
      // /status may say so a moment before the log line reaches the pipe.
      await waitFor(
        "the refusal's log line",
        async () => refused.output().includes("GitHub refuses gitdisk's credentials"),
        refused.output,
      );
      const refusals = refused
        .output()
        .split("\n")
        .filter((line) => line.includes("GitHub refuses gitdisk's credentials"));
      expect(refusals).toEqual([expect.stringMatching(/GITHUB_TOKEN is wrong, expired or revoked/)]);
    },
    TIMEOUT_MS,
  );

  it(
    "refuses a second process on the same DATA_DIR, naming the folder and the first one's pid",
    async () => {
      const dataDir = path.join(temp.dir, "shared-data");
      const first = await startGitdisk(sim, { dataDir });
      running.push(first);
      const { code, output } = await runUntilExit(temp.dir, shellEnv({ PORT: String(await freePort()), DATA_DIR: dataDir }));
      expect(code).toBe(1);
      expect(output).toContain(`DATA_DIR ${dataDir} is in use by another gitdisk process (pid ${first.child.pid})`);
      expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    },
    TIMEOUT_MS,
  );

  it(
    "ends within its stop timeout on SIGTERM even when stdout's reader has gone",
    async () => {
      const gitdisk = await startGitdisk(sim, { env: { LOG_LEVEL: "info", GITDISK_STOP_TIMEOUT_SECONDS: "2" } });
      running.push(gitdisk);
      const exited = new Promise<number>((resolve) => gitdisk.child.once("exit", () => resolve(Date.now())));
      gitdisk.child.stdout!.destroy();
      const signalled = Date.now();
      gitdisk.child.kill("SIGTERM");
      const timeout = new Promise<number>((resolve) => setTimeout(() => resolve(Number.POSITIVE_INFINITY), 15_000));
      // 2 s for the write-back, 2 s more for the rest, and some slack for a loaded machine.
      expect((await Promise.race([exited, timeout])) - signalled).toBeLessThan(7_000);
    },
    TIMEOUT_MS,
  );

  it("stops with `npm start`: SIGTERM to npm ends the gitdisk server it started", async () => {
    const port = await freePort();
    const dataDir = path.join(temp.dir, "npm-start-data");
    const npm = spawn("npm", ["start", "--silent"], {
      cwd: PROJECT_ROOT,
      env: shellEnv({ PORT: String(port), DATA_DIR: dataDir }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    npm.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    npm.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    const isRunning = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    // The data folder's lock names the server's pid (npm builds first: that takes a while).
    const serverPid = await waitFor(
      "the server to start",
      async () =>
        (await fetch(`http://127.0.0.1:${port}/healthz`)
          .then((response) => response.ok)
          .catch(() => false)) && Number(fs.readFileSync(path.join(dataDir, "gitdisk.pid"), "utf8")),
      () => output,
      180_000,
    );
    try {
      npm.kill("SIGTERM");
      await waitFor(
        "the server to stop",
        async () => !isRunning(serverPid),
        () => output,
        20_000,
      );
    } finally {
      if (isRunning(serverPid)) process.kill(serverPid, "SIGKILL");
    }
  }, 240_000);

  it(
    "refuses a webhook body over GitHub's 25 MB cap without its memory growing with the body",
    async () => {
      const gitdisk = await startGitdisk(sim);
      running.push(gitdisk);
      const before = gitdisk.peakRssBytes()!;
      const bodyBytes = 200 * 1024 * 1024;
      const { status } = await postWebhookBody(`${gitdisk.url}/api/github/webhooks`, bodyBytes, { declareLength: false });
      expect(status).toBe(413);
      const grown = gitdisk.peakRssBytes()! - before;
      // Buffering it would take the body at least twice over (chunks, then their concatenation).
      expect(grown).toBeLessThan(64 * 1024 * 1024);
    },
    TIMEOUT_MS,
  );

  it(
    "says plainly, in one line without a stack, why it cannot start: PORT=abc, an unusable DATA_DIR, a port in use",
    async () => {
      const notAFolder = path.join(temp.dir, "not-a-folder");
      fs.writeFileSync(notAFolder, "");
      const dataDir = path.join(notAFolder, "data");
      const taken = net.createServer();
      const takenPort = await freePort();
      await new Promise<void>((resolve) => taken.listen(takenPort, "127.0.0.1", resolve));
      try {
        const cases: [Record<string, string>, Record<string, string>, string][] = [
          [{ PORT: "abc" }, {}, 'PORT must be a port number from 1 to 65535, got "abc"'],
          [
            {},
            { DATA_DIR: dataDir },
            `cannot open the database ${path.join(dataDir, "gitdisk.sqlite3")} (DATA_DIR): ENOTDIR: not a directory, mkdir '${dataDir}'`,
          ],
          [
            {},
            { PORT: String(takenPort) },
            `port ${takenPort} on 127.0.0.1 is already in use (another gitdisk?): stop that process or set PORT to a free port`,
          ],
        ];
        for (const [dotEnv, shell, message] of cases) {
          const { code, output } = await runUntilExit(
            folderWithDotEnv("plain", dotEnv),
            shellEnv({ PORT: String(await freePort()), ...shell }),
          );
          expect({ code, output: output.trim() }).toEqual({ code: 1, output: `gitdisk failed to start: ${message}` });
        }
      } finally {
        taken.close();
      }
    },
    TIMEOUT_MS,
  );

  it(
    "warns once at start when GITDISK_API_KEY is not set",
    async () => {
      const gitdisk = await startGitdisk(sim, { env: { GITDISK_API_KEY: "" } });
      running.push(gitdisk);
      const warnings = gitdisk
        .output()
        .split("\n")
        .filter((line) => line.includes("GITDISK_API_KEY is not set"));
      expect(warnings).toEqual([expect.stringContaining("private repositories cannot be read and writes are refused")]);
    },
    TIMEOUT_MS,
  );
});
