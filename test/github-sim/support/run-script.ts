/**
 * Runs a script's body: an error (a port in use, a folder it cannot write) is one line on stderr
 * and exit status 1, not a stack trace; the exit tasks (exit-cleanup.ts) still run.
 */
export async function runScript(name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    process.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
