import { BadRequestError } from "../errors.js";
import { checkoutName, pathProblem } from "../paths.js";
import { unportableNameProblem } from "./unportable-name-problem.js";

/** A record id names a record, not a folder tree: a write may not make one over 255 bytes (each file name also is, by pathProblem). */
const MAX_WRITTEN_ID_BYTES = 255;
// C1 controls (U+0085 is a line break to some tools): git allows them in file names, record ids do not.
const C1_CONTROLS = /[\u0080-\u009f]/;

function unsafeIdProblem(id: string): string | undefined {
  return (
    pathProblem(id) ??
    (id.split("/").some((segment) => checkoutName(segment) === ".github") ? "path may not touch .github" : undefined) ??
    (C1_CONTROLS.test(id) ? "path contains a control character" : undefined)
  );
}

function refuseIdIf(problem: string | undefined, id: string): string {
  if (problem) throw new BadRequestError(`invalid record id: ${problem}`, { id: id.slice(0, 300) });
  return id;
}

/** 400 for ids that would build a dangerous or unusable path: `..`, absolute, `.git`, `.github`, control characters. */
export function assertSafeId(id: string): string {
  return refuseIdIf(unsafeIdProblem(id), id);
}

/**
 * assertSafeId, at most 255 bytes in all, and a name every checkout can hold (Windows' rules too): for
 * the ids writes create or replace. A record already in the repository under another name (made by
 * hand) stays readable and deletable.
 */
export function assertWritableId(id: string): string {
  const tooLong = Buffer.byteLength(id) > MAX_WRITTEN_ID_BYTES ? `id is longer than ${MAX_WRITTEN_ID_BYTES} bytes` : undefined;
  return refuseIdIf(unsafeIdProblem(id) ?? tooLong ?? unportableNameProblem(id), id);
}
