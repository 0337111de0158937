import { posix } from "node:path";

/** A source file under src/ (path relative to src/, with `/`) and the module specifiers it imports. */
export interface SourceImports {
  path: string;
  specifiers: readonly string[];
}

/** One import that makes a folder depend on another, kept to name it in a failure. */
export interface FolderEdge {
  from: string;
  to: string;
  /** An import behind the edge: `sync/own-commit.ts imports writeback/commit-message.js`. */
  example: string;
}

/**
 * The unit a layer is judged by: a top-level folder of src/ (`sync/`), or a file at src/'s root by
 * itself (`app.ts`), since root files are the wiring and small shared primitives, not one layer.
 */
export function unitOf(path: string): string {
  const slash = path.indexOf("/");
  return slash === -1 ? path.replace(/\.js$/, ".ts") : path.slice(0, slash + 1);
}

/** The imports between different units; package imports and imports within a unit are left out. */
export function folderEdges(files: readonly SourceImports[]): FolderEdge[] {
  const edges = new Map<string, FolderEdge>();
  for (const file of files) {
    for (const specifier of file.specifiers) {
      if (!specifier.startsWith(".")) continue;
      const target = posix.normalize(posix.join(posix.dirname(file.path), specifier));
      const from = unitOf(file.path);
      const to = unitOf(target);
      const key = `${from} ${to}`;
      if (from !== to && !edges.has(key)) edges.set(key, { from, to, example: `${file.path} imports ${target}` });
    }
  }
  return [...edges.values()];
}

/** A cycle among the units, as the edges that close it in order, or null when the units form layers. */
export function findCycle(edges: readonly FolderEdge[]): FolderEdge[] | null {
  const outgoing = new Map<string, FolderEdge[]>();
  for (const edge of edges) outgoing.set(edge.from, [...(outgoing.get(edge.from) ?? []), edge]);
  const done = new Set<string>();
  const path: FolderEdge[] = [];
  const onPath = new Set<string>();

  function visit(unit: string): FolderEdge[] | null {
    if (onPath.has(unit)) return path.slice(path.findIndex((edge) => edge.from === unit));
    if (done.has(unit)) return null;
    onPath.add(unit);
    for (const edge of outgoing.get(unit) ?? []) {
      path.push(edge);
      const cycle = visit(edge.to);
      if (cycle) return cycle;
      path.pop();
    }
    onPath.delete(unit);
    done.add(unit);
    return null;
  }

  for (const unit of [...outgoing.keys()].sort()) {
    const cycle = visit(unit);
    if (cycle) return cycle;
  }
  return null;
}

/** A cycle as a reader follows it: `sync/ → writeback/ → sync/`, then the import behind each step. */
export function describeCycle(cycle: readonly FolderEdge[]): string {
  const units = [...cycle.map((edge) => edge.from), cycle[0]!.from].join(" → ");
  return [units, ...cycle.map((edge) => `  ${edge.example}`)].join("\n");
}
