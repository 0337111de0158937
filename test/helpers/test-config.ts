import type { GitdiskConfig } from "../../src/config/env.js";

/** gitdisk's settings for a test that builds the API or the sync engine itself: no key, no heal, small bodies. */
export function testConfig(overrides: Partial<GitdiskConfig> = {}): GitdiskConfig {
  return {
    dataDir: "unused",
    databaseUrl: undefined,
    apiKey: undefined,
    githubToken: undefined,
    healIntervalMs: 0,
    maxBodyBytes: 4096,
    maxRepoBytes: 1024 ** 3,
    ...overrides,
  };
}
