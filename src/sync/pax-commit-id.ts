const BLOCK = 512;
const TYPEFLAG_OFFSET = 156;
const SIZE_OFFSET = 124;
const SIZE_LENGTH = 12;
const GLOBAL_HEADER = "g".charCodeAt(0);
const COMMIT_ID = /^[0-9a-f]{40}$/;

/** How many leading bytes of an uncompressed tar `paxCommitId` needs: git's global header fits in two blocks. */
export const PAX_PREFIX_BYTES = 2 * BLOCK;

/**
 * The commit id `git archive` writes into the tar's pax global header (`comment=<sha>`), read from the
 * first bytes of the uncompressed stream. tar-stream consumes that header without exposing it, so the
 * mirror reads it here to check the archive is the commit it asked for. Null when there is none.
 */
export function paxCommitId(prefix: Buffer): string | null {
  if (prefix.length < BLOCK || prefix[TYPEFLAG_OFFSET] !== GLOBAL_HEADER) return null;
  const size = parseInt(
    prefix
      .toString("latin1", SIZE_OFFSET, SIZE_OFFSET + SIZE_LENGTH)
      .replace(/\0.*$/, "")
      .trim(),
    8,
  );
  if (!Number.isInteger(size) || size <= 0) return null;
  let records = prefix.subarray(BLOCK, BLOCK + size);
  // Each record is "<length> <key>=<value>\n", the length counting the whole record.
  while (records.length > 0) {
    const space = records.indexOf(0x20);
    const length = parseInt(records.toString("latin1", 0, space), 10);
    if (space < 0 || !Number.isInteger(length) || length <= space || length > records.length) return null;
    const record = records.toString("utf8", space + 1, length - 1);
    const equals = record.indexOf("=");
    if (equals > 0 && record.slice(0, equals) === "comment") {
      const value = record.slice(equals + 1);
      return COMMIT_ID.test(value) ? value : null;
    }
    records = records.subarray(length);
  }
  return null;
}
