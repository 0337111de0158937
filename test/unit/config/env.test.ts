import path from "node:path";
import { readEnv } from "../../../src/config/env.js";
import { ConfigError } from "../../../src/errors.js";

describe("readEnv", () => {
  it("defaults to an embedded store under ./data with healing every 5 minutes", () => {
    const config = readEnv({});
    expect(config).toEqual({
      dataDir: path.resolve("./data"),
      databaseUrl: undefined,
      apiKey: undefined,
      githubToken: undefined,
      healIntervalMs: 300_000,
      maxBodyBytes: 1_048_576,
      maxRepoBytes: 1024 ** 3,
    });
  });

  it("reads gitdisk's variables and treats blank ones as unset", () => {
    const config = readEnv({
      DATA_DIR: "/srv/gitdisk",
      DATABASE_URL: "  ",
      GITDISK_API_KEY: "k".repeat(32),
      GITHUB_TOKEN: "github_pat_x",
      GITDISK_HEAL_INTERVAL_SECONDS: "0",
      GITDISK_MAX_BODY_BYTES: "2048",
      GITDISK_MAX_REPO_BYTES: "5000000",
    });
    expect(config).toMatchObject({
      dataDir: "/srv/gitdisk",
      databaseUrl: undefined,
      apiKey: "k".repeat(32),
      githubToken: "github_pat_x",
      healIntervalMs: 0,
      maxBodyBytes: 2048,
      maxRepoBytes: 5_000_000,
    });
  });

  it.each([["GITDISK_HEAL_INTERVAL_SECONDS", "-1"], ["GITDISK_HEAL_INTERVAL_SECONDS", "1.5"], ["GITDISK_MAX_BODY_BYTES", "lots"]])(
    "rejects %s=%s",
    (name, value) => {
      expect(() => readEnv({ [name]: value })).toThrow(ConfigError);
    },
  );

  it("rejects an API key too short to resist guessing", () => {
    expect(() => readEnv({ GITDISK_API_KEY: "short" })).toThrow(/at least 16/);
  });
});
