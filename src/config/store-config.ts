import path from "node:path";
import { type Env, envText } from "./env-text.js";
import { envWholeNumber } from "./env-whole-number.js";

/** Where and how much gitdisk stores. */
export interface StoreConfig {
  /** Folder of the embedded store. */
  dataDir: string;
  /** PostgreSQL connection string; when set, the server backend is used instead of the embedded one. */
  databaseUrl: string | undefined;
  /** Most bytes of distinct blobs one repository's mirror holds; the files beyond are not mirrored. */
  maxRepoBytes: number;
}

export function readStoreConfig(env: Env): StoreConfig {
  return {
    dataDir: path.resolve(envText(env, "DATA_DIR") ?? "./data"),
    databaseUrl: envText(env, "DATABASE_URL"),
    maxRepoBytes: envWholeNumber(env, "GITDISK_MAX_REPO_BYTES", { fallback: 1024 ** 3 }),
  };
}
