/** Runs one client job (bench/clients/runner.ts) in a child process and returns its result. */
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ClientJob, ClientJobResult } from "../clients/client-job.js";
import { raiseToNormal } from "./isolation.js";

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const RUNNER = path.join(PROJECT_ROOT, "bench/clients/runner.ts");

export async function runClientJob(job: ClientJob): Promise<ClientJobResult> {
  const child = spawn(process.execPath, ["--import", "tsx", RUNNER], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, NODE_OPTIONS: "" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const raised = raiseToNormal(child.pid!);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString("utf8")).slice(-8000)));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => resolve(code));
  });
  child.stdin.end(JSON.stringify(job));
  const [code] = await Promise.all([exited, raised]);
  if (code !== 0) throw new Error(`client job ${job.kind} exited with ${code}:\n${stderr}`);
  return JSON.parse(stdout) as ClientJobResult;
}

/** The outcome of the kind a job must answer with; anything else is a bug in the runner. */
export function outcomeOf<K extends ClientJobResult["outcome"]["kind"]>(
  result: ClientJobResult,
  kind: K,
): Extract<ClientJobResult["outcome"], { kind: K }> {
  if (result.outcome.kind !== kind) throw new Error(`expected a ${kind} outcome, got ${result.outcome.kind}`);
  return result.outcome as Extract<ClientJobResult["outcome"], { kind: K }>;
}
