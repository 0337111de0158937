/**
 * Seeded random repository contents and pushes for the end-to-end scenarios, so a failure can be
 * replayed with the seed it printed. Paths include spaces, non-ASCII names, deep folders, binary
 * and empty files, executables and symlinks: what real content repositories hold.
 */
import type { CommitSpec, FileContent, FileSpec } from "../github-sim/start-simulator.js";
import type { Random } from "../helpers/seeded-random.js";

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
export const between = (random: Random, low: number, high: number): number => low + Math.floor(random() * (high - low + 1));

const FOLDERS = [
  "content/posts",
  "content/pages",
  "content/posts/2024/deep/er",
  "data",
  "data/users",
  "assets/img",
  "docs/guide",
  "archive/2019",
  "drafts",
  "i18n/fr",
  "notes with spaces",
];
const STEMS = ["hello", "world", "café", "日本語", "readme", "index", "post", "item", "page", "über-note", "a b"];
const EXTENSIONS = ["md", "json", "txt", "yml", "bin", "png"];

/** A path that no other call with the same counter can produce. */
export function randomPath(random: Random, counter: number): string {
  const extension = pick(random, EXTENSIONS);
  return `${pick(random, FOLDERS)}/${pick(random, STEMS)}-${counter}.${extension}`;
}

export function randomContent(random: Random, path: string): FileContent | FileSpec {
  const roll = random();
  if (path.endsWith(".bin") || path.endsWith(".png")) {
    const bytes = new Uint8Array(between(random, 0, 4096));
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
    return bytes;
  }
  if (roll < 0.02) return "";
  if (roll < 0.04) return { content: "#!/bin/sh\necho hi\n", mode: "100755" };
  if (roll < 0.05) return { content: "../README.md", mode: "120000" };
  const lines = between(random, 1, roll > 0.97 ? 2000 : 20);
  return `${Array.from({ length: lines }, (_, i) => `line ${i} ${random().toString(36).slice(2)} ✓`).join("\n")}\n`;
}

/** `count` files under random paths, plus fixed ones the scenarios rely on. */
export function randomFiles(random: Random, count: number, counter: { next: number }): Record<string, FileContent | FileSpec> {
  const files: Record<string, FileContent | FileSpec> = {};
  while (Object.keys(files).length < count) {
    const path = randomPath(random, counter.next++);
    files[path] = randomContent(random, path);
  }
  return files;
}

/**
 * One commit of random changes to the files in `existing` (which it updates): adds, edits,
 * deletes and renames, each path touched at most once per commit.
 */
export function randomCommit(random: Random, existing: Set<string>, counter: { next: number }, changes: number): CommitSpec {
  const files: Record<string, FileContent | FileSpec | null> = {};
  const renames: Record<string, string> = {};
  const touched = new Set<string>();
  const untouchedExisting = () => [...existing].filter((path) => !touched.has(path) && !path.startsWith(".github/"));
  for (let i = 0; i < changes; i++) {
    const candidates = untouchedExisting();
    const kind = candidates.length === 0 ? 0 : Math.floor(random() * 4);
    if (kind === 0) {
      const path = randomPath(random, counter.next++);
      files[path] = randomContent(random, path);
      touched.add(path);
      existing.add(path);
      continue;
    }
    const path = pick(random, candidates);
    touched.add(path);
    if (kind === 1) {
      files[path] = randomContent(random, path);
    } else if (kind === 2) {
      files[path] = null;
      existing.delete(path);
    } else {
      const target = randomPath(random, counter.next++);
      renames[path] = target;
      touched.add(target);
      existing.delete(path);
      existing.add(target);
      // Half the renames also change the content, as an edit-and-move does.
      if (random() < 0.5) files[target] = randomContent(random, target);
    }
  }
  return { message: `random change of ${changes} files`, files, renames };
}
