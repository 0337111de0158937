import { REPO_CONFIG_PATH } from "../config/repo-config.js";
import { messageOf } from "../errors.js";

const PLUGIN_TAG = /^\[@probot\/octokit-plugin-config\] /;
const URL = /\bhttps?:\/\/\S+/g;

// A YAML error's first line says what and where; the lines after it quote the file.
const firstLine = (text: string) => text.split("\n", 1)[0]!.replace(/:$/, "");

/**
 * Why the config file could not be read, as `configError` shows it to anyone for a public repository.
 * Probot's config loader names the file by its API URL (on GitHub Enterprise an internal host), so the
 * file's path stands in for any URL.
 */
export function configReadProblem(error: unknown): string {
  const message = firstLine(messageOf(error)).replace(PLUGIN_TAG, "").replaceAll(URL, REPO_CONFIG_PATH);
  const cause = error instanceof Error && error.cause !== undefined ? `: ${firstLine(messageOf(error.cause)).replaceAll(URL, REPO_CONFIG_PATH)}` : "";
  return message + cause;
}
