/**
 * JSON with object keys sorted at every level, 2-space indent and a trailing newline: the same data
 * always gives the same bytes (so the same blob sha), and diffs of record files read well.
 */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== "object" || value === null) return value;
  // fromEntries defines own properties, so a "__proto__" key stays data instead of becoming a prototype.
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]));
}
