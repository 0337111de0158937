/** ISO 8601 in UTC without milliseconds, as GitHub prints timestamps. */
export function isoDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
