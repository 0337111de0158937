import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/**
 * A data file shipped inside an installed package. Looked up through Node's node_modules search
 * paths rather than require.resolve, because some packages (@octokit/graphql-schema) export only
 * an ESM entry and no package.json.
 */
export function packageFile(packageName: string, relativePath: string): string {
  const require = createRequire(import.meta.url);
  for (const folder of require.resolve.paths(packageName) ?? []) {
    const candidate = path.join(folder, packageName, relativePath);
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error(`cannot find ${relativePath} of ${packageName}: is it installed?`);
}
