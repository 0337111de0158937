import type { CommitSpec } from "../core/control-types.js";

/** Single-quotes a word for a POSIX shell. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A ready-to-paste `curl` that pushes one commit to a repository through the control API. */
export function pushCommand(simUrl: string, fullName: string, commit: CommitSpec): string {
  const body = JSON.stringify({ commits: [commit] });
  return `curl -X POST -H 'Content-Type: application/json' ${shellQuote(`${simUrl}/_sim/repos/${fullName}/push`)} -d ${shellQuote(body)}`;
}
