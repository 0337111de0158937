/** A `bigint` or `integer` column as a number, whichever form the driver gave it in (see SqlClient). */
export function asNumber(value: number | string | bigint): number {
  return typeof value === "number" ? value : Number(value);
}

export function asNullableNumber(value: number | string | bigint | null): number | null {
  return value === null ? null : asNumber(value);
}

/** A `bytea` column as a Buffer, without copying its bytes. */
export function asBuffer(value: Uint8Array): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

/** SQLSTATE of a failed statement (both node-postgres and PGlite put it in `code`). */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

export const FOREIGN_KEY_VIOLATION = "23503";

/** Path prefix scans use a half-open range, as the SQLite backend does: paths are compared bytewise (COLLATE "C"). */
export const prefixEnd = (prefix: string) => `${prefix}\u{10FFFF}`;
