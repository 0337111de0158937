/**
 * `npm run bench`: gitdisk against the local GitHub simulator, every workload measured side by side
 * with the naive way in the same run. Prints the results on stdout (progress goes to stderr), writes
 * bench/results.json, and exits non-zero when a correctness check fails or the simulator saw a
 * request GitHub would not serve.
 *
 * `--workloads a,d` or BENCH_WORKLOADS=a,d picks workloads (default all; b and c need a's mirror, so
 * they bring it); `--help` lists the options.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startSimulator } from "../test/github-sim/start-simulator.js";
import { UsageError } from "../test/github-sim/support/cli-options.js";
import { readCli } from "../test/github-sim/support/read-cli.js";
import { startGitdisk } from "../test/helpers/gitdisk-process.js";
import { GitdiskClient } from "./support/gitdisk-client.js";
import { startGraphqlTap } from "./support/graphql-tap.js";
import { giveGitdiskItsCpu, isolateSimulator, isolationNote, removeSimulatorDataDir, simulatorDataDir } from "./support/isolation.js";
import { now } from "./support/measure.js";
import { type BenchRow, Checks, duration, formatChecks, formatTable } from "./support/report.js";
import { siteFiles } from "./support/site-fixture.js";
import type { BenchContext } from "./workloads/bench-context.js";
import { installWorkload } from "./workloads/install.js";
import { pushWorkload } from "./workloads/push.js";
import { readsWorkload } from "./workloads/reads.js";
import { type WritesOutcome, writesWorkload } from "./workloads/writes.js";
import { formatTargets, formatWritesSection, type Target, writeTargets } from "./workloads/writes-report.js";

const RESULTS_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), "results.json");
const OWNER = "octo";
const SITE_PAGES = 5_000;
const READS = 10_000;

const WORKLOADS = ["a", "b", "c", "d"];

const selected = readCli(
  {
    command: "npm run bench --",
    summary: "gitdisk against the local GitHub simulator, each workload side by side with the naive Contents-API way (about 3 minutes).",
    options: {
      workloads: {
        type: "string",
        value: "LIST",
        description: "which workloads, e.g. a,d (default: $BENCH_WORKLOADS, else a,b,c,d; b and c bring a)",
      },
    },
    notes: [
      "Workloads: (a) install 5,000 files, (b) a 500-file push, (c) 10,000 reads, (d) 1,000 writes with a person pushing.",
      "Environment: BENCH_SHARED_CPUS=1, BENCH_SAME_PRIORITY=1, BENCH_SHARED_DISK=1 turn off the isolation of gitdisk from the simulator.",
      "Prints the tables on stdout and writes bench/results.json.",
    ],
  },
  (values) => {
    const names = (values.workloads ?? process.env.BENCH_WORKLOADS ?? WORKLOADS.join(",")).split(",").map((name) => name.trim());
    const unknown = names.filter((name) => !WORKLOADS.includes(name));
    if (unknown.length > 0) throw new UsageError(`unknown workload(s) ${JSON.stringify(unknown)}: pick from ${WORKLOADS.join(", ")}`);
    return new Set(names.includes("b") || names.includes("c") ? [...names, "a"] : names);
  },
);

const write = (text = "") => process.stdout.write(`${text}\n`);
const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);

const benchStart = now();
const checks = new Checks();
const rows: BenchRow[] = [];
let writes: WritesOutcome | null = null;
let targets: Target[] = [];

isolateSimulator();
progress("starting the GitHub simulator and gitdisk");
const simulatorFolder = simulatorDataDir();
const sim = await startSimulator(simulatorFolder ? { dataDir: simulatorFolder } : {});
const tap = await startGraphqlTap(sim.url);
// gitdisk reaches GitHub through the tap (GHE_HOST), which names its GraphQL calls; webhooks come from the simulator.
// Sign-in with GitHub is on for (d)'s signed-in visitors; key requests do not touch it.
const gitdisk = await startGitdisk(sim, { entry: "build", signIn: true, env: { GHE_HOST: tap.host } });
await giveGitdiskItsCpu(gitdisk.child.pid!);
const context: BenchContext = {
  sim,
  gitdisk,
  tap,
  checks,
  progress,
  clientFor: (repo) => new GitdiskClient(gitdisk.url, gitdisk.apiKey, repo),
};

let failure: unknown = null;
try {
  if (selected.has("a")) {
    const site = { owner: OWNER, name: "site" };
    progress(`creating a ${SITE_PAGES.toLocaleString("en-US")}-file repository`);
    await sim.createRepo({ ...site, files: siteFiles(SITE_PAGES) });
    rows.push(...(await installWorkload(context, site, "(a) install, 5,000 files")));
    if (selected.has("b")) rows.push(...(await pushWorkload(context, site, SITE_PAGES, "(b) push, 500 files / 30 commits")));
    if (selected.has("c")) rows.push(...(await readsWorkload(context, site, READS, "(c) 10,000 reads")));
  }
  if (selected.has("d")) {
    writes = await writesWorkload(context, OWNER, "(d) 1,000 writes");
    rows.push(...writes.rows);
    targets = writeTargets(writes);
  }
} catch (error) {
  failure = error;
} finally {
  const exitCode = await gitdisk.stop();
  checks.expect("gitdisk stops cleanly on SIGTERM", exitCode === 0, `exit code ${exitCode}`);
  await tap.close();
}
const violations = sim.violations();
await sim.close();
removeSimulatorDataDir();
checks.expect(
  "the simulator saw only requests GitHub would serve",
  violations.length === 0,
  `${violations.length} violations${violations.length ? `: ${JSON.stringify(violations.slice(0, 3))}` : ""}`,
);

write();
write(formatTable(rows));
write();
write("GitHub calls and bytes: counted by the simulator per workload (bytes = response bodies GitHub sent). Wall time: (a), (b) from");
write(
  "the webhook until gitdisk's /status shows the new head vs the naive download; (c) the 10,000 reads; (d) until every write is committed.",
);
write("Peak RSS: gitdisk = the server process during the workload (its peak reset before it); naive = a separate node process doing the");
write("naive requests, node and its module loader included (in brackets: each process's RSS just before the workload).");
if (writes) {
  write();
  write(formatWritesSection(writes));
  write();
  write("Targets (issue 5; signed-in visitors: issue 17):");
  write(formatTargets(targets));
}
write();
write("Checks:");
write(formatChecks(checks.all()));
if (failure) write(`\nbench aborted: ${failure instanceof Error ? failure.stack : String(failure)}`);
write(
  `\nwhole bench: ${duration(now() - benchStart)} on ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "unknown"}), node ${process.version}; ${isolationNote()}`,
);

fs.writeFileSync(
  RESULTS_FILE,
  `${JSON.stringify(
    {
      generatedAt: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, node: process.version, isolation: isolationNote() },
      rows,
      writes,
      targets,
      checks: checks.all(),
      violations,
      aborted: failure ? String(failure) : null,
    },
    null,
    2,
  )}\n`,
);
write(`results written to ${path.relative(process.cwd(), RESULTS_FILE)}`);
if (failure || checks.failures().length > 0) process.exitCode = 1;
