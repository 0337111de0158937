/** GitHub's legacy global node ids: base64 of "0<length of type>:<type><database id>", e.g. "010:Repository42". */
export function nodeId(type: string, id: number | string): string {
  return Buffer.from(`0${type.length}:${type}${id}`).toString("base64");
}

/** Inverse of nodeId; null when the id is not one of ours. */
export function parseNodeId(id: string): { type: string; id: string } | null {
  const text = Buffer.from(id, "base64").toString("utf8");
  const match = /^0(\d+):/.exec(text);
  if (!match) return null;
  const length = Number(match[1]);
  const rest = text.slice(match[0].length);
  if (rest.length <= length) return null;
  return { type: rest.slice(0, length), id: rest.slice(length) };
}
