import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Compares two secrets in constant time. Hashing first gives both sides the same length, so neither
 * the length nor a matching prefix leaks through timing.
 */
export function constantTimeEqual(presented: string, expected: string): boolean {
  return timingSafeEqual(sha256(presented), sha256(expected));
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}
