/**
 * Run as its own process by full-mirror-memory.test.ts, so its peak memory is the full mirror's
 * alone: mirrors the tarball file argv[2] into a fresh store and prints the outcome and the peak RSS.
 */
import fs from "node:fs";
import { DEFAULT_REPO_CONFIG } from "../../../src/config/repo-config.js";
import { createStore } from "../../../src/store/create-store.js";
import { mirrorFully } from "../../../src/sync/mirror-fully.js";
import type { MirrorContext } from "../../../src/sync/repo-sync-context.js";
import { processMemory } from "../../helpers/process-memory.js";
import { makeTempDir } from "../../helpers/temp-dir.js";

const temp = makeTempDir("gitdisk-memory-");
const opened = createStore({ dataDir: temp.dir, databaseUrl: undefined });
const store = opened.mirror;
const repo = await store.upsertRepo(
  { id: 1, owner: "o", name: "r", private: false, defaultBranch: "main", installationId: 1 },
  { branch: "main", config: DEFAULT_REPO_CONFIG },
);
const silent = () => {};
const log = { info: silent, warn: silent, error: silent, debug: silent } as unknown as MirrorContext["log"];
const reader = { openTarball: async () => fs.createReadStream(process.argv[2]!) } as unknown as MirrorContext["reader"];
const result = await mirrorFully({ store, reader, log }, repo, "a".repeat(40));
const files = (await store.getRepo(1))?.files;
await opened.close();
temp.cleanup();
process.stdout.write(JSON.stringify({ result: result.kind, files, peakRssBytes: processMemory("self")?.peakRssBytes }));
