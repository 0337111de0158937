/** A Relay-style connection over an offset-addressable list (cursors are base64 offsets). */
export async function connection<T>(
  totalCount: number,
  args: { first?: number; after?: string | null; last?: number },
  load: (offset: number, limit: number) => Promise<T[]>,
) {
  const start = args.after
    ? Number(
        Buffer.from(args.after, "base64")
          .toString("utf8")
          .replace(/^offset:/, ""),
      ) + 1
    : 0;
  const limit = Math.min(args.first ?? args.last ?? 100, 100);
  const nodes = await load(start, limit);
  const cursor = (index: number) => Buffer.from(`offset:${start + index}`).toString("base64");
  return {
    totalCount,
    nodes,
    edges: nodes.map((node, index) => ({ cursor: cursor(index), node })),
    pageInfo: {
      hasNextPage: start + nodes.length < totalCount,
      hasPreviousPage: start > 0,
      startCursor: nodes.length > 0 ? cursor(0) : null,
      endCursor: nodes.length > 0 ? cursor(nodes.length - 1) : null,
    },
  };
}
