import picomatch from "picomatch";

/** A matcher for the globs of `mirror.include`/`exclude`. dot: true, because `**` must match `.github/…` and dotfiles like any other path. */
export function mirrorGlob(globs: string | string[]): (path: string) => boolean {
  return picomatch(globs, { dot: true });
}
