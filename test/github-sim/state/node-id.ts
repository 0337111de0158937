/** GitHub's legacy global node ids: base64 of "<length of type>:<type><database id>". */
export function nodeId(type: string, id: number | string): string {
  return Buffer.from(`${String(type.length).padStart(2, "0")}:${type}${id}`).toString("base64");
}

/** Inverse of nodeId; null when the id is not one of ours. */
export function parseNodeId(id: string): { type: string; id: string } | null {
  const match = /^(\d{2}):([A-Za-z]+)(.+)$/.exec(Buffer.from(id, "base64").toString("utf8"));
  if (!match || Number(match[1]) !== match[2]!.length) return null;
  return { type: match[2]!, id: match[3]! };
}
