import { isUnderDotGithub } from "../paths.js";
import type { RepoState } from "../store/store.js";
import type { Access } from "./api-types.js";
import { publicPaths } from "./public-paths.js";

/**
 * Which mirrored paths a request may read. With the key: everything. Without: nothing under
 * `.github/` (workflows and gitdisk's own config); all else of a public repository; of a private
 * one only what its `api.public` globs open, so installing on a private repository never publishes it.
 */
export function readPolicy(repo: Pick<RepoState, "private" | "config">, access: Access): (path: string) => boolean {
  if (access.key) return () => true;
  if (!repo.private) return (path) => !isUnderDotGithub(path);
  const isPublic = publicPaths(repo.config.api.public);
  return (path) => !isUnderDotGithub(path) && isPublic(path);
}
