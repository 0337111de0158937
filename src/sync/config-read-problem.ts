import type { YAMLParseError } from "yaml";
import { REPO_CONFIG_PATH } from "../config/repo-config.js";
import { messageOf } from "../errors.js";

const LOADER = "[@probot/octokit-plugin-config]";
// Probot's config loader says what went wrong in words after the URL it read; the URL is GitHub's API, not the owner's concern.
const LOADER_PROBLEMS: [RegExp, string][] = [
  [/YAML is not an object/, "must be a mapping of keys, not a single value"],
  [/invalid YAML/, "is not valid YAML"],
  [/is either a directory or a submodule/, "is a folder or a submodule, not a file"],
  [/for _extends/, "_extends: must name a repository, optionally with :path/to/file.yml"],
  [/Recursion detected/, "_extends: the files extend each other in a loop"],
];

/** Recognised by name, not by class: the loader may come with its own copy of the yaml package. */
function yamlErrorBehind(error: unknown): YAMLParseError | undefined {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause instanceof Error && cause.name === "YAMLParseError" ? (cause as YAMLParseError) : undefined;
}

/**
 * The owner's mistake behind a failed read of `.github/gitdisk.yml`, in a short line that points at
 * it (for YAML, the line and column) and carries no internal URL; log the error itself for the rest.
 * Undefined when the loader did not complain about the file (GitHub or the network failed).
 */
export function configReadProblem(error: unknown): string | undefined {
  const message = messageOf(error);
  if (!message.startsWith(LOADER)) return undefined;
  const cause = yamlErrorBehind(error);
  if (cause) {
    const position = cause.linePos?.[0];
    const where = position ? ` line ${position.line}, column ${position.col}` : "";
    const reason = cause.message.split(/ at line \d+, column \d+/)[0]!.trim();
    return `${REPO_CONFIG_PATH}${where}: invalid YAML: ${reason}`;
  }
  const known = LOADER_PROBLEMS.find(([pattern]) => pattern.test(message));
  return `${REPO_CONFIG_PATH} ${known ? known[1] : "could not be read"}`;
}
