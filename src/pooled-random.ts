import { randomBytes } from "node:crypto";

const UINT32_RANGE = 2 ** 32;

/**
 * Uniform fractions in [0, 1) from the system's CSPRNG, drawn `poolBytes` at a time. The ulid
 * package otherwise makes one crypto call per character of each id: 0.1 ms per id, a large share
 * of what accepting a write costs.
 */
export function pooledRandomFraction(poolBytes = 4096): () => number {
  let pool = randomBytes(poolBytes);
  let offset = 0;
  return () => {
    if (offset + 4 > pool.length) {
      pool = randomBytes(poolBytes);
      offset = 0;
    }
    const value = pool.readUInt32LE(offset);
    offset += 4;
    return value / UINT32_RANGE;
  };
}
