/**
 * The trailers of a write-back commit: one `Gitdisk-Write` line per write it holds and one
 * `Gitdisk-User` line per acting user. The write-back writes them so history shows who wrote what and
 * so it recognises its own commit when GitHub's answer was lost; the sync engine reads them to
 * recognise the push of such a commit. Both sides share this one format.
 */
const WRITE_TRAILER = "Gitdisk-Write";
const USER_TRAILER = "Gitdisk-User";
const WRITE_TRAILER_LINE = new RegExp(`^${WRITE_TRAILER}: (\\S+)\\s*$`, "gm");

/** The trailer block naming `writeIds` in the order given, then `users` in the order given. */
export function commitTrailers(writeIds: readonly string[], users: readonly string[]): string {
  return [...writeIds.map((id) => `${WRITE_TRAILER}: ${id}`), ...users.map((user) => `${USER_TRAILER}: ${user}`)].join("\n");
}

/** The write ids a commit message names in its trailers. */
export function writeIdsIn(message: string): string[] {
  return [...message.matchAll(WRITE_TRAILER_LINE)].map((match) => match[1]!);
}
