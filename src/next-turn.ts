/** Resolves after the event loop has handled what is waiting (I/O callbacks included): a long task split with it lets requests in between. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
