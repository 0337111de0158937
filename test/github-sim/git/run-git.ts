import { spawn } from "node:child_process";

/**
 * Git must behave the same on every machine: no user or system configuration (signing, hooks,
 * default branch names), no prompts, and fixed identities only where callers pass them. The simulated
 * repositories are thrown away with the simulator, so git never waits for the disk (core.fsync=none):
 * its syncs would only slow the syncs of the gitdisk under test, which shares the disk.
 */
export const gitEnvironment: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_TERMINAL_PROMPT: "0",
  LANG: "C",
  LC_ALL: "C",
  GIT_CONFIG_COUNT: "1",
  GIT_CONFIG_KEY_0: "core.fsync",
  GIT_CONFIG_VALUE_0: "none",
};

export class GitCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args.join(" ")} failed (exit ${exitCode}): ${stderr.trim()}`);
    this.name = "GitCommandError";
  }
}

export interface RunGitOptions {
  input?: Buffer | string;
  env?: NodeJS.ProcessEnv;
  /** Exit codes that are answers rather than failures (e.g. 1 from `merge-base --is-ancestor`). */
  okExitCodes?: readonly number[];
}

export interface GitResult {
  stdout: Buffer;
  exitCode: number;
}

/** Runs one git command against a bare repository and collects its whole output. */
export function runGit(gitDir: string, args: readonly string[], options: RunGitOptions = {}): Promise<GitResult> {
  const fullArgs = ["--git-dir", gitDir, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn("git", fullArgs, {
      env: { ...gitEnvironment, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const exitCode = code ?? -1;
      if (exitCode === 0 || options.okExitCodes?.includes(exitCode)) {
        resolve({ stdout: Buffer.concat(out), exitCode });
      } else {
        reject(new GitCommandError(args, code, Buffer.concat(err).toString("utf8")));
      }
    });
    // A command that exits before reading all of stdin (e.g. on a bad argument) must not crash us with EPIPE.
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.input ?? "");
  });
}
