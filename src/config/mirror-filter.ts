import { pathProblem } from "../paths.js";
import { mirrorGlob } from "./mirror-glob.js";
import type { RepoConfig } from "./repo-config.js";

/** Which files of the branch the mirror keeps, as `.github/gitdisk.yml`'s `mirror` section says. */
export interface MirrorFilter {
  /** Included, not excluded, and a path the data API could ever serve. */
  acceptsPath(path: string): boolean;
  acceptsSize(size: number): boolean;
}

export function createMirrorFilter(mirror: RepoConfig["mirror"]): MirrorFilter {
  const included = mirrorGlob(mirror.include);
  const excluded = mirror.exclude.length > 0 ? mirrorGlob(mirror.exclude) : () => false;
  return {
    acceptsPath: (path) => pathProblem(path) === undefined && included(path) && !excluded(path),
    acceptsSize: (size) => size <= mirror.maxFileBytes,
  };
}

/** Whether two configs mirror the same files of the same branch (otherwise the mirror must be rebuilt). */
export function sameMirrorSettings(a: RepoConfig["mirror"], b: RepoConfig["mirror"]): boolean {
  return (
    a.maxFileBytes === b.maxFileBytes &&
    JSON.stringify(a.include) === JSON.stringify(b.include) &&
    JSON.stringify(a.exclude) === JSON.stringify(b.exclude)
  );
}

/** The branch gitdisk mirrors and writes to. */
export function trackedBranch(config: Pick<RepoConfig, "branch">, defaultBranch: string): string {
  return config.branch ?? defaultBranch;
}
