/** Input types of the control API (in-process and, as JSON, over HTTP under /_sim). */

/** File content: text (UTF-8), raw bytes, or base64 (for binary files sent as JSON). */
export type FileContent = string | Uint8Array | { base64: string };

export interface FileSpec {
  content: FileContent;
  /** "100644" (default), "100755" (executable) or "120000" (symlink; content is the target). */
  mode?: "100644" | "100755" | "120000";
}

export interface CommitSpec {
  message?: string;
  /** Path → new content; null deletes the path (a file or a whole folder). */
  files?: Record<string, FileContent | FileSpec | null>;
  /** Old path → new path, applied before `files`. */
  renames?: Record<string, string>;
  author?: { name: string; email: string };
}

export interface PushOptions {
  /** Defaults to the repository's default branch; a branch that does not exist is created. */
  branch?: string;
  commits: CommitSpec[];
  /**
   * The commit the first new commit builds on. Defaults to the branch head. A commit id that is
   * not an ancestor makes this a force push; null starts an unrelated history (a root commit).
   */
  parent?: string | null;
  /** Login of the person pushing (defaults to the simulator's user). */
  pusher?: string;
}

export interface CreateRepoOptions {
  owner: string;
  name: string;
  ownerType?: "User" | "Organization";
  private?: boolean;
  defaultBranch?: string;
  description?: string;
  /** Initial files, committed as one commit on the default branch. Empty: an empty repository. */
  files?: Record<string, FileContent | FileSpec>;
  message?: string;
}

export function isFileSpec(value: FileContent | FileSpec): value is FileSpec {
  return typeof value === "object" && !(value instanceof Uint8Array) && "content" in value;
}

export function contentBuffer(content: FileContent): Buffer {
  if (typeof content === "string") return Buffer.from(content, "utf8");
  if (content instanceof Uint8Array) return Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  return Buffer.from(content.base64, "base64");
}
