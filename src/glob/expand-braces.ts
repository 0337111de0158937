/** Alternatives one glob may expand to; a config asking for more gets the first ones. */
export const MAX_ALTERNATIVES = 256;

/**
 * Expands `{a,b}` alternatives (nested too) into plain globs: `data/{users,likes}/**` →
 * `data/users/**`, `data/likes/**`. A backslash escapes a brace or comma; a `{` without a matching
 * `}` or a comma stays literal.
 */
export function expandBraces(glob: string): string[] {
  const open = findOpenBrace(glob);
  if (open === undefined) return [glob];
  const { close, commas } = open;
  const before = glob.slice(0, open.at);
  const after = glob.slice(close + 1);
  const bounds = [open.at, ...commas, close];
  const expanded: string[] = [];
  for (let i = 0; i + 1 < bounds.length && expanded.length < MAX_ALTERNATIVES; i++) {
    const option = glob.slice(bounds[i]! + 1, bounds[i + 1]!);
    for (const rest of expandBraces(before + option + after)) {
      if (expanded.length === MAX_ALTERNATIVES) break;
      expanded.push(rest);
    }
  }
  return expanded;
}

/** The first `{` that has a matching `}` with a comma at its own depth, and where those are. */
function findOpenBrace(glob: string): { at: number; close: number; commas: number[] } | undefined {
  for (let at = 0; at < glob.length; at++) {
    if (glob[at] === "\\") at++;
    else if (glob[at] === "{") {
      const commas: number[] = [];
      let depth = 0;
      for (let i = at + 1; i < glob.length; i++) {
        const char = glob[i];
        if (char === "\\") i++;
        else if (char === "{") depth++;
        else if (char === "}" && depth > 0) depth--;
        else if (char === "}") {
          if (commas.length > 0) return { at, close: i, commas };
          break;
        } else if (char === "," && depth === 0) commas.push(i);
      }
    }
  }
  return undefined;
}
