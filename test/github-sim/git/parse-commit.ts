/** Who wrote or committed a commit, as git records it. */
export interface GitIdentity {
  name: string;
  email: string;
  /** Seconds since the epoch. */
  timestamp: number;
  /** Git's "+hhmm" offset. */
  timezone: string;
}

export interface ParsedCommit {
  oid: string;
  tree: string;
  parents: string[];
  author: GitIdentity;
  committer: GitIdentity;
  message: string;
}

const identityPattern = /^(.*) <([^>]*)> (-?\d+) ([+-]\d{4})$/;

export function parseIdentity(text: string): GitIdentity {
  const match = identityPattern.exec(text);
  if (!match) throw new Error(`malformed git identity: ${text}`);
  return { name: match[1]!, email: match[2]!, timestamp: Number(match[3]), timezone: match[4]! };
}

export function formatIdentity(identity: GitIdentity): string {
  return `${identity.name} <${identity.email}> ${identity.timestamp} ${identity.timezone}`;
}

/** ISO 8601 in UTC, the way GitHub's REST API prints commit dates. */
export function identityDate(identity: GitIdentity): string {
  return new Date(identity.timestamp * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Parses a raw commit object (the body `git cat-file commit` prints). */
export function parseCommit(oid: string, raw: Buffer): ParsedCommit {
  const text = raw.toString("utf8");
  const headerEnd = text.indexOf("\n\n");
  const headerText = headerEnd < 0 ? text : text.slice(0, headerEnd);
  const message = headerEnd < 0 ? "" : text.slice(headerEnd + 2);
  let tree = "";
  const parents: string[] = [];
  let author: GitIdentity | undefined;
  let committer: GitIdentity | undefined;
  for (const line of headerText.split("\n")) {
    // Continuation lines (a signature's body) start with a space and belong to the previous header.
    if (line.startsWith(" ")) continue;
    const space = line.indexOf(" ");
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    if (key === "tree") tree = value;
    else if (key === "parent") parents.push(value);
    else if (key === "author") author = parseIdentity(value);
    else if (key === "committer") committer = parseIdentity(value);
  }
  if (!tree || !author || !committer) throw new Error(`malformed commit object ${oid}`);
  return { oid, tree, parents, author, committer, message };
}

/** GitHub's split of a message: the first line, and the rest after the blank line. */
export function splitMessage(message: string): { headline: string; body: string } {
  const trimmed = message.replace(/\n+$/, "");
  const newline = trimmed.indexOf("\n");
  if (newline < 0) return { headline: trimmed, body: "" };
  return { headline: trimmed.slice(0, newline), body: trimmed.slice(newline + 1).replace(/^\n+/, "") };
}
