import { loadDotEnv } from "./load-dot-env.js";
import { type Config, readConfig } from "./read-config.js";

/**
 * The one place gitdisk reads the process's environment: `<cwd>/.env` is applied to it first (Probot's
 * setup page reads and writes process.env itself), then every variable is checked (readConfig).
 */
export function readProcessConfig(cwd: string = process.cwd()): Config {
  loadDotEnv(cwd, process.env);
  return readConfig(process.env);
}
