import { parseRepoConfig, type RepoConfig } from "../config/repo-config.js";
import { ConfigError, httpStatusOf } from "../errors.js";
import { configReadProblem } from "./config-read-problem.js";
import type { GitHubReader } from "./github-reader.js";

export type ConfigRead = { ok: true; config: RepoConfig } | { ok: false; error: string };

/**
 * Reads and validates `.github/gitdisk.yml`. A file that is not YAML or breaks the schema is the
 * owner's mistake, returned as an error to show; GitHub failing to answer is thrown like any other.
 */
export async function loadRepoConfig(reader: Pick<GitHubReader, "readConfig">): Promise<ConfigRead> {
  let raw: unknown;
  try {
    raw = await reader.readConfig();
  } catch (error) {
    if (httpStatusOf(error) !== undefined) throw error;
    return { ok: false, error: configReadProblem(error) };
  }
  try {
    return { ok: true, config: parseRepoConfig(raw) };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, error: error.message };
    throw error;
  }
}
