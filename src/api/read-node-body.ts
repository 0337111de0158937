import type { IncomingMessage } from "node:http";
import { BadRequestError, messageOf, PayloadTooLargeError } from "../errors.js";

/**
 * Reads a request body into memory, refusing (413) as soon as it is known to exceed `limit`: at once
 * from Content-Length, otherwise when the running total passes it, so an oversized body is never buffered.
 */
export function readNodeBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () => bodyTooLarge(limit);
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge());

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > limit) {
        request.off("data", onData);
        reject(tooLarge());
      } else {
        chunks.push(chunk);
      }
    };
    request.on("data", onData);
    request.once("end", () => resolve(Buffer.concat(chunks, total)));
    // The client went away mid-body: its fault, not ours, so a 4xx (which it will never read) rather than a 500.
    request.once("error", (error) => reject(new BadRequestError(`the request body was cut off: ${messageOf(error)}`)));
  });
}

/** The 413 for a body over `limit` bytes, whether its length was declared or counted. */
export function bodyTooLarge(limit: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`the request body is larger than ${limit} bytes`, { limit });
}
