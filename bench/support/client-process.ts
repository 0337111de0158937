/** Runs one naive job in a child process (bench/naive/runner.ts) and returns its result. */
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { NaiveJob, NaiveJobResult } from "../naive/naive-job.js";

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const RUNNER = path.join(PROJECT_ROOT, "bench/naive/runner.ts");

export async function runNaiveJob(job: NaiveJob): Promise<NaiveJobResult> {
  const child = spawn(process.execPath, ["--import", "tsx", RUNNER], { cwd: PROJECT_ROOT, env: { ...process.env, NODE_OPTIONS: "" }, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString("utf8")).slice(-8000)));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => resolve(code));
  });
  child.stdin.end(JSON.stringify(job));
  const code = await exited;
  if (code !== 0) throw new Error(`naive ${job.kind} job exited with ${code}:\n${stderr}`);
  return JSON.parse(stdout) as NaiveJobResult;
}
