/** The bench's output: one row per workload and way, correctness checks, the printed table. */

/** gitdisk's clients write with the site key unless the way says they are signed-in visitors. */
export type Way = "gitdisk" | "gitdisk, signed-in visitors (cookie)" | "naive";

export interface MemoryFigure {
  peakRssBytes: number | null;
  /** RSS of the same process just before the workload (idle server, or node + loader for the naive child). */
  rssBeforeBytes: number | null;
}

export interface BenchRow {
  workload: string;
  way: Way;
  githubCalls: number;
  bytesFromGitHub: number;
  wallMs: number;
  memory: MemoryFigure;
  /** Workload-specific figures, printed after the common columns. */
  details: Record<string, string | number>;
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export class Checks {
  readonly #checks: Check[] = [];

  expect(name: string, ok: boolean, detail: string): void {
    this.#checks.push({ name, ok, detail });
  }

  all(): Check[] {
    return [...this.#checks];
  }

  failures(): Check[] {
    return this.#checks.filter((check) => !check.ok);
  }
}

export function mib(bytes: number | null): string {
  return bytes === null ? "n/a" : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function duration(ms: number): string {
  return ms < 1000 ? `${ms.toFixed(ms < 10 ? 2 : 0)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function thousands(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

/** Rows of cells as aligned columns, the first row a header. */
export function formatGrid(cells: string[][]): string {
  const widths = cells[0]!.map((_, column) => Math.max(...cells.map((row) => row[column]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join(" | ")
      .trimEnd();
  const rule = widths.map((width) => "-".repeat(width)).join("-|-");
  return [line(cells[0]!), rule, ...cells.slice(1).map(line)].join("\n");
}

export function formatTable(rows: readonly BenchRow[]): string {
  const header = ["workload", "way", "GitHub calls", "downloaded", "wall time", "peak RSS (before)", "details"];
  const body = rows.map((row) => [
    row.workload,
    row.way,
    thousands(row.githubCalls),
    mib(row.bytesFromGitHub),
    duration(row.wallMs),
    `${mib(row.memory.peakRssBytes)} (${mib(row.memory.rssBeforeBytes)})`,
    Object.entries(row.details)
      .map(([key, value]) => `${key} ${typeof value === "number" ? thousands(value) : value}`)
      .join(", "),
  ]);
  return formatGrid([header, ...body]);
}

export function formatChecks(checks: readonly Check[]): string {
  return checks.map((check) => `${check.ok ? "ok  " : "FAIL"} ${check.name}: ${check.detail}`).join("\n");
}
