/** Resolves after the event loop has handled what is waiting (I/O callbacks included): a long task split with it lets requests in between. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Array.filter over a long list, `perTurn` items per turn of the event loop. */
export async function filterInTurns<T>(items: readonly T[], keep: (item: T) => boolean, perTurn = 100): Promise<T[]> {
  const kept: T[] = [];
  for (let start = 0; start < items.length; start += perTurn) {
    if (start > 0) await nextTurn();
    for (const item of items.slice(start, start + perTurn)) if (keep(item)) kept.push(item);
  }
  return kept;
}
