import { isUnderDotGithub } from "../paths.js";
import type { RepoState } from "../store/store.js";
import type { Access } from "./api-types.js";
import { publicPaths } from "./public-paths.js";
import { keyReaches } from "./site-keys.js";

/**
 * Which mirrored paths a request may read. With a key for the repository (the operator's, or its own
 * site key, which needs `repo.id`): everything. Without: nothing under
 * `.github/` (workflows and gitdisk's own config); all else of a public repository; of a private
 * one only what its `api.public` globs open, so installing on a private repository never publishes it.
 */
export function readPolicy(repo: Pick<RepoState, "private" | "config"> & { id?: number }, access: Access): (path: string) => boolean {
  if (keyReaches(access, repo.id)) return () => true;
  if (!repo.private) return (path) => !isUnderDotGithub(path);
  const isPublic = publicPaths(repo.config.api.public);
  return (path) => !isUnderDotGithub(path) && isPublic(path);
}
