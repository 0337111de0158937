import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
const TSX_CLI = path.join(path.dirname(createRequire(import.meta.url).resolve("tsx/package.json")), "dist/cli.mjs");

export interface ScriptProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the output once `pattern` appears on stdout; rejects if the script exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
}

const running = new Set<ChildProcess>();

/** Kills what a failed test left running, with everything it started (its process group). */
export function killScripts(): void {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, "SIGKILL");
  running.clear();
}

/** Runs a script of the project with tsx, as `npm run sim` and `npm run demo` do; signals sent to `child` reach tsx, which relays them. */
export function runTsxScript(script: string, args: string[], env: Record<string, string> = {}): ScriptProcess {
  // jest's loader flags must not reach the script; its own process group lets killScripts() reach its children.
  const child = spawn(process.execPath, [TSX_CLI, script, ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, NODE_OPTIONS: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  running.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const waitFor = (pattern: RegExp, timeoutMs = 60_000) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`no ${pattern} within ${timeoutMs} ms:\n${stdout}\n${stderr}`)), timeoutMs);
      const check = () => pattern.test(stdout) && finish();
      const early = () => finish(new Error(`${script} exited before ${pattern}:\n${stdout}\n${stderr}`));
      function finish(error?: Error) {
        clearTimeout(timer);
        child.stdout!.off("data", check);
        child.off("exit", early);
        if (error) reject(error);
        else resolve(stdout);
      }
      child.stdout!.on("data", check);
      child.once("exit", early);
      check();
    });
  return { child, stdout: () => stdout, stderr: () => stderr, waitFor, exited };
}
