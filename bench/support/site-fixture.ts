/** The content repository the read-side workloads run on, and the big push made to it. Deterministic. */
import type { CommitSpec } from "../../test/github-sim/start-simulator.js";

const SECTIONS = 50;

function pagePath(index: number): string {
  return `content/section-${String(index % SECTIONS).padStart(2, "0")}/page-${String(index).padStart(5, "0")}.md`;
}

/** A Markdown page of 300 B to ~4 KiB, the sizes of a typical content site's pages. */
function pageText(index: number, revision: number): string {
  const size = 300 + ((index * 7919 + revision * 104729) % 3800);
  const header = `---\ntitle: Page ${index}\nrevision: ${revision}\n---\n`;
  const line = `Paragraph text of page ${index}, revision ${revision}. `;
  return `${header + line.repeat(Math.ceil(size / line.length)).slice(0, size)}\n`;
}

export function siteFiles(pages: number): Record<string, string> {
  const files: Record<string, string> = { "README.md": "# Benchmark site\n" };
  for (let i = 0; i < pages - 1; i++) files[pagePath(i)] = pageText(i, 0);
  return files;
}

export interface BigPush {
  commits: CommitSpec[];
  /** Paths added or edited: what a naive mirror must download. */
  writtenPaths: string[];
  deletedPaths: string[];
}

/**
 * `changed` distinct paths spread over `commitCount` commits: 76% edits of existing pages, 16% new
 * pages, 8% deletions, each path touched by exactly one commit.
 */
export function bigPush(existingPages: number, changed: number, commitCount: number): BigPush {
  const deletions = Math.round(changed * 0.08);
  const additions = Math.round(changed * 0.16);
  const edits = changed - deletions - additions;
  const commits: CommitSpec[] = Array.from({ length: commitCount }, (_, n) => ({ message: `Edit pages, part ${n + 1}`, files: {} }));
  const writtenPaths: string[] = [];
  const deletedPaths: string[] = [];
  let slot = 0;
  const place = (filePath: string, content: string | null) => {
    commits[slot++ % commitCount]!.files![filePath] = content;
    (content === null ? deletedPaths : writtenPaths).push(filePath);
  };
  // Strided, so the changes fall in every section rather than one folder.
  const stride = Math.floor((existingPages - 1) / (edits + deletions));
  for (let i = 0; i < edits; i++) place(pagePath(i * stride), pageText(i * stride, 1));
  for (let i = edits; i < edits + deletions; i++) place(pagePath(i * stride), null);
  for (let i = 0; i < additions; i++) place(pagePath(existingPages + i), pageText(existingPages + i, 0));
  return { commits, writtenPaths, deletedPaths };
}
