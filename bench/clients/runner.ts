/**
 * Child-process entry for the naive side of each workload, so its memory is measured as a process of
 * its own, like gitdisk's server. Reads one job as JSON on stdin, writes one result as JSON on stdout.
 */
import { now, processMemory } from "../support/measure.js";
import type { NaiveJob, NaiveJobResult } from "./naive-job.js";
import { NaiveGitHub } from "./naive-github.js";
import { fetchEach } from "./naive-reads.js";
import { runNaiveWrites } from "./naive-writes.js";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function run(job: NaiveJob): Promise<NaiveJobResult["outcome"]> {
  const github = new NaiveGitHub(job.apiUrl, job.token);
  switch (job.kind) {
    case "download-branch": {
      // The naive install: list the tree, then one GET per file.
      const paths = await github.listFiles(job.repo, job.branch);
      return { kind: "fetch", fetch: await fetchEach(github, job.repo, paths, job.concurrency) };
    }
    case "fetch-paths":
      return { kind: "fetch", fetch: await fetchEach(github, job.repo, job.paths, job.concurrency) };
    case "writes":
      return { kind: "writes", writes: await runNaiveWrites(github, job.repo, job.plan) };
  }
}

const rssAtStartBytes = processMemory("self")?.rssBytes ?? null;
const job = JSON.parse(await readStdin()) as NaiveJob;
const start = now();
const outcome = await run(job);
const wallMs = now() - start;
const result: NaiveJobResult = { outcome, wallMs, rssAtStartBytes, peakRssBytes: processMemory("self")?.peakRssBytes ?? null };
process.stdout.write(JSON.stringify(result));
