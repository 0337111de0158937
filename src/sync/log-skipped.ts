import type { SkippedFile } from "../store/store.js";
import type { MirrorContext } from "./repo-sync-context.js";

/** The few first are enough to say why; /status lists them all. */
const LOGGED_FILES = 10;

/** One log line for the files a sync left out of the mirror, if any. */
export function logSkipped(ctx: MirrorContext, skipped: readonly SkippedFile[]): void {
  if (skipped.length === 0) return;
  const files = skipped.slice(0, LOGGED_FILES).map(({ path, reason }) => ({ path, reason }));
  ctx.log.warn({ skipped: skipped.length, files }, `${skipped.length} files not mirrored`);
}
