import { formatIdentity, type GitIdentity } from "./parse-commit.js";

/** One change to a commit's tree, relative to its parent. */
export type TreeChange =
  | { kind: "write"; path: string; content: Buffer; mode?: FileMode }
  | { kind: "delete"; path: string }
  | { kind: "rename"; from: string; to: string };

export type FileMode = "100644" | "100755" | "120000";

export interface CommitDraft {
  author: GitIdentity;
  committer: GitIdentity;
  message: string;
  changes: readonly TreeChange[];
}

/** C-style quoting: fast-import accepts it for every path, so no path needs special-casing. */
export function quotePath(path: string): string {
  const bytes = Buffer.from(path, "utf8");
  let out = '"';
  for (const byte of bytes) {
    if (byte === 0x22) out += '\\"';
    else if (byte === 0x5c) out += "\\\\";
    else if (byte === 0x0a) out += "\\n";
    else if (byte < 0x20 || byte >= 0x7f) out += `\\${byte.toString(8).padStart(3, "0")}`;
    else out += String.fromCharCode(byte);
  }
  return `${out}"`;
}

function dataBlock(content: Buffer): Buffer[] {
  return [Buffer.from(`data ${content.length}\n`), content, Buffer.from("\n")];
}

/**
 * The `git fast-import` input that writes a chain of commits onto `ref`: the first on top of
 * `parent` (or with no parent, for an unrelated history), each next one on the previous. It asks
 * for every new commit id with `get-mark`, so fast-import prints them in order on stdout.
 */
export function buildFastImportStream(ref: string, parent: string | null, drafts: readonly CommitDraft[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`reset ${ref}\n`)];
  drafts.forEach((draft, index) => {
    const mark = index + 1;
    parts.push(
      Buffer.from(`commit ${ref}\nmark :${mark}\nauthor ${formatIdentity(draft.author)}\ncommitter ${formatIdentity(draft.committer)}\n`),
      ...dataBlock(Buffer.from(draft.message, "utf8")),
    );
    if (index === 0 && parent) parts.push(Buffer.from(`from ${parent}\n`));
    for (const change of draft.changes) {
      if (change.kind === "write") {
        parts.push(Buffer.from(`M ${change.mode ?? "100644"} inline ${quotePath(change.path)}\n`), ...dataBlock(change.content));
      } else if (change.kind === "delete") {
        parts.push(Buffer.from(`D ${quotePath(change.path)}\n`));
      } else {
        parts.push(Buffer.from(`R ${quotePath(change.from)} ${quotePath(change.to)}\n`));
      }
    }
    parts.push(Buffer.from(`\nget-mark :${mark}\n`));
  });
  parts.push(Buffer.from("done\n"));
  return Buffer.concat(parts);
}
