import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";

export interface DrainLimits {
  maxBytes: number;
  maxMs: number;
}

/** How much of a refused body is read and discarded before its connection is cut regardless. */
const DRAIN_LIMITS: DrainLimits = { maxBytes: 8 * 1024 * 1024, maxMs: 5_000 };

/**
 * Reads and discards the rest of a request's body; settles when it ended, the client went away, or
 * `limits` ran out. Closing a connection while the client still sends makes its kernel reset it, and
 * most clients then report a network error instead of the answer they were sent.
 */
export function drainRequest(request: IncomingMessage, limits: DrainLimits = DRAIN_LIMITS): Promise<void> {
  return new Promise((resolve) => {
    let drained = 0;
    const done = () => {
      clearTimeout(timer);
      request.off("data", onData).off("end", done).off("close", done);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      drained += chunk.length;
      if (drained > limits.maxBytes) done();
    };
    const timer = setTimeout(done, limits.maxMs);
    request.on("data", onData).once("end", done).once("close", done);
    request.resume();
  });
}

/**
 * Answers a request whose body is refused unread: the answer goes at once, on a connection that closes
 * only once the client has sent the rest (within `DRAIN_LIMITS`), so the client can read it.
 */
export function answerThenDrain(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  headers: OutgoingHttpHeaders,
  body?: Buffer | string,
): void {
  // A refused body was left unread, so the connection cannot carry another request.
  response.writeHead(status, { ...headers, connection: "close" });
  if (body) response.write(body);
  void drainRequest(request).then(() => response.end());
}
