import { BadRequestError } from "../errors.js";

/** A listing's `limit` query parameter: `fallback` when absent, else a whole number from 0 to `max`. */
export function pageLimit(raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined || raw === "") return fallback;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 0 || limit > max) throw new BadRequestError(`limit must be a whole number from 0 to ${max}`);
  return limit;
}
