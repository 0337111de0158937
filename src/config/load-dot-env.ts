import fs from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";
import { ConfigError, messageOf } from "../errors.js";

/**
 * Applies `<cwd>/.env` to `env`, once, before anything reads it. Probot's rule, kept for every mode:
 * a value in .env overrides the same variable set in the shell. No .env: nothing changes.
 */
export function loadDotEnv(cwd: string, env: NodeJS.ProcessEnv): void {
  const file = path.join(cwd, ".env");
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw new ConfigError(`cannot read ${file}: ${messageOf(error)}`, { file });
  }
  Object.assign(env, parseEnv(text));
}
