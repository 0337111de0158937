/**
 * `npm run bench`: gitdisk against the local GitHub simulator, every workload measured side by side
 * with the naive way in the same run. Prints a table on stdout, writes bench/results.json, and exits
 * non-zero when a correctness check fails or the simulator saw a request GitHub would not serve.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startGitdisk } from "../test/helpers/gitdisk-process.js";
import { startSimulator } from "../test/github-sim/start-simulator.js";
import { GitdiskClient } from "./support/gitdisk-client.js";
import { startGraphqlTap } from "./support/graphql-tap.js";
import { now } from "./support/measure.js";
import { Checks, duration, formatChecks, formatTable, type BenchRow } from "./support/report.js";
import { siteFiles } from "./support/site-fixture.js";
import type { BenchContext } from "./workloads/bench-context.js";
import { installWorkload } from "./workloads/install.js";
import { pushWorkload } from "./workloads/push.js";
import { readsWorkload } from "./workloads/reads.js";

const RESULTS_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), "results.json");
const SITE_PAGES = 5_000;
const READS = 10_000;

const write = (text: string) => process.stdout.write(text + "\n");
const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);

const benchStart = now();
const checks = new Checks();
const rows: BenchRow[] = [];

progress("starting the GitHub simulator and a 5,000-file repository");
const sim = await startSimulator();
const tap = await startGraphqlTap(sim.url);
const site = { owner: "octo", name: "site" };
await sim.createRepo({ ...site, files: siteFiles(SITE_PAGES) });
// gitdisk reaches GitHub through the tap (GHE_HOST), which names its GraphQL calls; webhooks come from the simulator.
const gitdisk = await startGitdisk(sim, { entry: "build", env: { GHE_HOST: tap.host } });
const context: BenchContext = { sim, gitdisk, tap, checks, progress, clientFor: (repo) => new GitdiskClient(gitdisk.url, gitdisk.apiKey, repo) };

let failure: unknown = null;
try {
  rows.push(...(await installWorkload(context, site, "(a) install, 5,000 files")));
  rows.push(...(await pushWorkload(context, site, SITE_PAGES, "(b) push, 500 files / 30 commits")));
  rows.push(...(await readsWorkload(context, site, READS, "(c) 10,000 reads")));
} catch (error) {
  failure = error;
} finally {
  const exitCode = await gitdisk.stop();
  checks.expect("gitdisk stops cleanly on SIGTERM", exitCode === 0, `exit code ${exitCode}`);
  await tap.close();
}
const violations = sim.violations();
await sim.close();
checks.expect("the simulator saw only requests GitHub would serve", violations.length === 0, `${violations.length} violations`);

write("");
write(formatTable(rows));
write("");
write("Memory: gitdisk = the server process's peak RSS during the workload (reset before it); naive = the peak RSS of");
write("a separate node process doing the naive requests (node and its module loader included: see the figure in brackets,");
write("the process's RSS before the work).");
write("");
write(formatChecks(checks.all()));
if (failure) write(`\nbench aborted: ${failure instanceof Error ? failure.stack : String(failure)}`);
write(`\nwhole bench: ${duration(now() - benchStart)} on ${os.cpus().length} CPUs, node ${process.version}`);

fs.writeFileSync(
  RESULTS_FILE,
  JSON.stringify({ generatedAt: new Date().toISOString(), machine: { cpus: os.cpus().length, node: process.version }, rows, checks: checks.all(), violations, aborted: failure ? String(failure) : null }, null, 2) + "\n",
);
write(`results written to ${path.relative(process.cwd(), RESULTS_FILE)}`);
if (failure || checks.failures().length > 0) process.exitCode = 1;
