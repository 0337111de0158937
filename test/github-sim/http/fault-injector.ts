export type FaultAction =
  /** Answer with a server error (default 500) instead of handling the request. */
  | { kind: "error"; status?: number; message?: string }
  /** GitHub's primary rate limit: 403, x-ratelimit-remaining 0, x-ratelimit-reset in `resetInSeconds`. */
  | { kind: "primary-rate-limit"; resetInSeconds?: number }
  /** GitHub's secondary rate limit: 403 (or 429) with Retry-After. */
  | { kind: "secondary-rate-limit"; status?: 403 | 429; retryAfterSeconds?: number }
  /** Delay the answer by `ms` (stacks with any other fault). */
  | { kind: "latency"; ms: number }
  /** Make the change, then answer 502 as if the response got lost on the way back. */
  | { kind: "lose-response"; status?: number };

export type FaultSpec = FaultAction & {
  /**
   * Which requests: an endpoint key ("GET /repos/{owner}/{repo}/compare/{basehead}",
   * "graphql:createCommitOnBranch"), with `*` as a wildcard. Default: every request.
   */
  endpoint?: string;
  /** How many matching requests it affects (default 1; Infinity for all until cleared). */
  times?: number;
};

interface ActiveFault {
  id: number;
  spec: FaultSpec;
  pattern: RegExp;
  remaining: number;
}

export interface FaultDecision {
  latencyMs: number;
  fault?: Exclude<FaultAction, { kind: "latency" }>;
}

function globToRegex(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
  );
}

/** Faults armed by tests, consumed by the requests they match, in the order they were added. */
export class FaultInjector {
  private faults: ActiveFault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): number {
    const id = this.nextId++;
    this.faults.push({ id, spec, pattern: globToRegex(spec.endpoint ?? "*"), remaining: spec.times ?? 1 });
    return id;
  }

  /** Consumes the faults that apply to one request to `endpoint`. */
  take(endpoint: string): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0 };
    for (const fault of this.faults) {
      if (fault.remaining <= 0 || !fault.pattern.test(endpoint)) continue;
      if (fault.spec.kind === "latency") {
        decision.latencyMs += fault.spec.ms;
      } else if (decision.fault) {
        continue;
      } else {
        const { endpoint: _endpoint, times: _times, ...action } = fault.spec;
        decision.fault = action as NonNullable<FaultDecision["fault"]>;
      }
      fault.remaining -= 1;
    }
    this.faults = this.faults.filter((fault) => fault.remaining > 0);
    return decision;
  }

  /** Faults still armed, with how many requests each has left. */
  pending(): Array<FaultSpec & { id: number; remaining: number }> {
    return this.faults.map((fault) => ({ ...fault.spec, id: fault.id, remaining: fault.remaining }));
  }

  remove(id: number): void {
    this.faults = this.faults.filter((fault) => fault.id !== id);
  }

  clear(): void {
    this.faults = [];
  }
}
