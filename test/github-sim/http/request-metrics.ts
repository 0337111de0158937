export interface EndpointStats {
  requests: number;
  /** Response body bytes the simulator sent (what a client downloads). */
  bytesOut: number;
  /** Requests by response status, e.g. { "200": 3, "404": 1 }. */
  statuses: Record<string, number>;
}

export interface MetricsSnapshot {
  requests: number;
  bytesOut: number;
  /** Keyed by "METHOD /openapi/template", "graphql:<root fields>", "GET /_codeload/…" or "POST /login/oauth/access_token". */
  byEndpoint: Record<string, EndpointStats>;
}

/** Counts every request the simulator answers, per endpoint, with the bytes it sent. */
export class RequestMetrics {
  private endpoints = new Map<string, EndpointStats>();

  record(endpoint: string, status: number, bytesOut: number): void {
    let stats = this.endpoints.get(endpoint);
    if (!stats) {
      stats = { requests: 0, bytesOut: 0, statuses: {} };
      this.endpoints.set(endpoint, stats);
    }
    stats.requests += 1;
    stats.bytesOut += bytesOut;
    stats.statuses[status] = (stats.statuses[status] ?? 0) + 1;
  }

  snapshot(): MetricsSnapshot {
    const byEndpoint: Record<string, EndpointStats> = {};
    let requests = 0;
    let bytesOut = 0;
    for (const [key, stats] of [...this.endpoints].sort(([a], [b]) => (a < b ? -1 : 1))) {
      byEndpoint[key] = { requests: stats.requests, bytesOut: stats.bytesOut, statuses: { ...stats.statuses } };
      requests += stats.requests;
      bytesOut += stats.bytesOut;
    }
    return { requests, bytesOut, byEndpoint };
  }

  reset(): void {
    this.endpoints = new Map();
  }
}
