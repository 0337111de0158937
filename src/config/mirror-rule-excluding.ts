import { mirrorGlob } from "./mirror-glob.js";
import type { RepoConfig } from "./repo-config.js";

/** The `mirror` rule that keeps `path` out of the mirror, in the words of the file; undefined when the mirror keeps it. */
export function mirrorRuleExcluding(mirror: Pick<RepoConfig["mirror"], "include" | "exclude">, path: string): string | undefined {
  const exclude = mirror.exclude.find((glob) => mirrorGlob(glob)(path));
  if (exclude !== undefined) return `mirror.exclude "${exclude}"`;
  if (!mirrorGlob(mirror.include)(path)) return `mirror.include ${JSON.stringify(mirror.include)}`;
  return undefined;
}
