import type { IncomingMessage, Server } from "node:http";

export interface ServerLimits {
  /** Request line and headers together; a longer request is answered 431 by node before any handler. */
  maxHeaderBytes: number;
  /** How long a client may take to send its headers (slowloris), and its whole request. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
}

/** Room for a URL well past the router's 8 KB limit, so that a long URL gets its 414, not node's 431 at 16 KB. */
export const SERVER_LIMITS: ServerLimits = { maxHeaderBytes: 32 * 1024, headersTimeoutMs: 20_000, requestTimeoutMs: 60_000 };

const limitedServers = new WeakSet<Server>();
const continueWithheld = new WeakSet<IncomingMessage>();

/**
 * Sets `limits` on the node:http server and answers `Expect: 100-continue` itself: a data API request
 * whose Content-Length is over `maxBodyBytes` gets no 100 Continue, so its body is never sent, only
 * the 413; every other request gets it, as node would have sent it. Once per server.
 */
export function applyServerLimits(
  server: Server,
  options: { owns(path: string): boolean; maxBodyBytes: number; limits?: ServerLimits },
): void {
  if (limitedServers.has(server)) return;
  limitedServers.add(server);
  const limits = options.limits ?? SERVER_LIMITS;
  // Read by node for every new connection and every timeout check, so they hold from here on. The
  // header limit is a constructor option in node's types, but node keeps and reads it as this property.
  (server as Server & { maxHeaderSize?: number }).maxHeaderSize = limits.maxHeaderBytes;
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.on("checkContinue", (request: IncomingMessage, response) => {
    const path = (request.url ?? "/").split("?", 1)[0]!;
    if (options.owns(path) && Number(request.headers["content-length"]) > options.maxBodyBytes) continueWithheld.add(request);
    else response.writeContinue();
    server.emit("request", request, response);
  });
}

/** Whether the client was told to keep its body (no 100 Continue): there is nothing to drain. */
export function bodyWithheld(request: IncomingMessage): boolean {
  return continueWithheld.has(request);
}
