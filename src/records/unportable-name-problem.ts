// Trojan Source's invisible reordering marks (embeddings, overrides, isolates, LRM/RLM/ALM): a name could read
// as another one in a listing or a review.
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
// Windows refuses these characters in file names.
const WINDOWS_FORBIDDEN = /[<>:"|?*\\]/;
// Windows device names, also with spaces or an extension after them (`con.txt`, `nul .txt`): a checkout
// cannot create such a file. Microsoft's list has COM0/LPT0 and the superscript digits too; Git for Windows
// also refuses CONIN$ and CONOUT$.
const WINDOWS_DEVICE = /^(?:con|prn|aux|nul|conin\$|conout\$|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3]) *(?:\..*)?$/i;

/**
 * Why a checkout on some system (Windows, most often) could not hold the path, or a reader would be
 * misled by it; undefined when every checkout can. Each `/` separated segment is a file or folder name.
 */
export function unportableNameProblem(path: string): string | undefined {
  if (BIDI_CONTROLS.test(path)) return "path contains a bidirectional control character";
  for (const segment of path.split("/")) {
    const shown = JSON.stringify(segment.slice(0, 50));
    if (WINDOWS_FORBIDDEN.test(segment)) return `name ${shown} contains a character Windows forbids in file names (<>:"|?* or a backslash)`;
    if (segment.trim() === "") return "a name is only whitespace";
    if (/[. ]$/.test(segment)) return `name ${shown} ends in a dot or a space, which Windows drops`;
    if (WINDOWS_DEVICE.test(segment)) return `name ${shown} is a Windows device name`;
  }
  return undefined;
}
