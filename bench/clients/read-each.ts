/** A read load: every path read once, a fixed number in flight, each answer checked against the file's blob sha. */
import { gitBlobSha } from "../../src/git/blob-sha.js";
import { runPool } from "../../src/run-pool.js";
import { type LatencySummary, now, summarizeLatencies } from "../support/measure.js";

/** One read of a file's bytes; null when the reader says it does not exist. */
export type ReadFile = (filePath: string) => Promise<Buffer | null>;

export interface ReadEachResult {
  requests: number;
  /** File bytes received. */
  fileBytes: number;
  /** Reads that found no file, or bytes that do not hash to the expected blob sha. */
  mismatches: number;
  latency: LatencySummary;
  wallMs: number;
}

export async function readEach(
  paths: readonly string[],
  expectedShas: Readonly<Record<string, string>>,
  concurrency: number,
  read: ReadFile,
): Promise<ReadEachResult> {
  const latencies: number[] = new Array(paths.length);
  let fileBytes = 0;
  let mismatches = 0;
  const start = now();
  await runPool(paths, concurrency, async (filePath, index) => {
    const requestStart = now();
    const content = await read(filePath);
    latencies[index] = now() - requestStart;
    if (!content || gitBlobSha(content) !== expectedShas[filePath]) mismatches++;
    fileBytes += content?.length ?? 0;
  });
  return { requests: paths.length, fileBytes, mismatches, latency: summarizeLatencies(latencies), wallMs: now() - start };
}
