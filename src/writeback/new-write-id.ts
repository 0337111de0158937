import { randomBytes } from "node:crypto";

const WRITE_ID_BYTES = 16;

/**
 * A write's id: 128 random bits, URL-safe base64 (22 characters). It is public in the commit's
 * trailers, so it must not let anyone guess the ids of other writes; nothing sorts writes by id
 * (acceptance order is the queue's `seq`).
 */
export function newWriteId(): string {
  return randomBytes(WRITE_ID_BYTES).toString("base64url");
}
