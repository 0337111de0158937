/** Client-process entry (see client-job.ts): reads one job as JSON on stdin, writes one result as JSON on stdout. */

import { processMemory } from "../../test/helpers/process-memory.js";
import { NaiveGitHub } from "../naive/naive-github.js";
import { runNaiveWrites } from "../naive/naive-writes.js";
import { GitdiskClient } from "../support/gitdisk-client.js";
import { now, processCpuMs } from "../support/measure.js";
import type { ClientJob, ClientJobResult, ClientOutcome } from "./client-job.js";
import { runGitdiskWrites } from "./gitdisk-writes.js";
import { readEach } from "./read-each.js";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function run(job: ClientJob): Promise<ClientOutcome> {
  switch (job.kind) {
    case "naive-download-branch": {
      // The naive install: list the tree, then one Contents GET per file.
      const github = new NaiveGitHub(job.apiUrl, job.token);
      const files = await github.listFiles(job.repo, job.branch);
      const expected = Object.fromEntries(files.map((file) => [file.path, file.sha]));
      return {
        kind: "reads",
        reads: await readEach(
          Object.keys(expected),
          expected,
          job.concurrency,
          async (filePath) => (await github.getFile(job.repo, filePath))?.content ?? null,
        ),
      };
    }
    case "naive-reads": {
      const github = new NaiveGitHub(job.apiUrl, job.token);
      return {
        kind: "reads",
        reads: await readEach(
          job.paths,
          job.expectedShas,
          job.concurrency,
          async (filePath) => (await github.getFile(job.repo, filePath))?.content ?? null,
        ),
      };
    }
    case "naive-writes":
      return {
        kind: "naive-writes",
        writes: await runNaiveWrites(new NaiveGitHub(job.apiUrl, job.token), job.repo, job.plan, job.pauseMaxMs),
      };
    case "gitdisk-reads": {
      const client = new GitdiskClient(job.url, job.apiKey, job.repo);
      return {
        kind: "reads",
        reads: await readEach(job.paths, job.expectedShas, job.concurrency, async (filePath) => {
          const read = await client.readFile(filePath);
          return read.status === 200 ? read.body : null;
        }),
      };
    }
    case "gitdisk-writes":
      return {
        kind: "gitdisk-writes",
        writes: await runGitdiskWrites(new GitdiskClient(job.url, job.apiKey, job.repo, job.visitors), job.plan, job.pauseMaxMs),
      };
  }
}

const rssAtStartBytes = processMemory("self")?.rssBytes ?? null;
const job = JSON.parse(await readStdin()) as ClientJob;
const start = now();
const cpuAtStartMs = processCpuMs("self")!;
const outcome = await run(job);
const wallMs = now() - start;
const cpuMs = processCpuMs("self")! - cpuAtStartMs;
const result: ClientJobResult = { outcome, wallMs, cpuMs, rssAtStartBytes, peakRssBytes: processMemory("self")?.peakRssBytes ?? null };
process.stdout.write(JSON.stringify(result));
