import { trackedBranch } from "../config/mirror-filter.js";
import { invalidRepoConfig, parseRepoConfig, type RepoConfig } from "../config/repo-config.js";
import { ConfigError } from "../errors.js";
import { configReadProblem } from "./config-read-problem.js";
import type { GitHubReader } from "./github-reader.js";
import { schemaFileProblems } from "./schema-file-problems.js";

/** `error` is the short reason to show the owner; `cause`, what to log beside it. */
export type ConfigRead = { ok: true; config: RepoConfig } | { ok: false; error: string; cause: unknown };

function parsed(raw: unknown): ConfigRead {
  try {
    return { ok: true, config: parseRepoConfig(raw) };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, error: error.message, cause: error };
    throw error;
  }
}

/**
 * Reads and validates `.github/gitdisk.yml`, and checks that the schema files it names are on the
 * tracked branch, within the mirror's size limit and JSON Schemas that compile. A file that is not YAML,
 * breaks the schema or names schemas no record could be checked against is the owner's mistake, returned as an error to show;
 * GitHub failing to answer is thrown like any other.
 */
export async function loadRepoConfig(
  reader: Pick<GitHubReader, "readConfig" | "fileAt" | "getBlob">,
  defaultBranch: string,
): Promise<ConfigRead> {
  let raw: unknown;
  try {
    raw = await reader.readConfig();
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, error: error.message, cause: error };
    const problem = configReadProblem(error);
    if (problem === undefined) throw error;
    return { ok: false, error: problem, cause: error };
  }
  const read = parsed(raw);
  if (!read.ok) return read;
  const problems = await schemaFileProblems(reader, read.config, trackedBranch(read.config, defaultBranch));
  if (problems.length === 0) return read;
  const error = invalidRepoConfig(problems);
  return { ok: false, error: error.message, cause: error };
}
