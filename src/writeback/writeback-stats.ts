/** Counters since start, for the benchmark and the log; the durable state is in the write store. */
export interface WritebackStats {
  accepted: number;
  /** Commits made on GitHub, recovered ones included. */
  commits: number;
  /** Batches that needed no commit: the branch already was what they asked for. */
  alreadyApplied: number;
  committedWrites: number;
  failedWrites: number;
  /** GitHub API calls made by the write-back (commits, lookups, probes). */
  apiCalls: number;
  /** Attempts refused because the branch had moved. */
  staleHeads: number;
  /** Attempts whose outcome was unknown (5xx, timeout, network). */
  unknownOutcomes: number;
  /** Batches found already committed by an earlier attempt whose response was lost. */
  recovered: number;
}

export function emptyStats(): WritebackStats {
  return {
    accepted: 0,
    commits: 0,
    alreadyApplied: 0,
    committedWrites: 0,
    failedWrites: 0,
    apiCalls: 0,
    staleHeads: 0,
    unknownOutcomes: 0,
    recovered: 0,
  };
}
