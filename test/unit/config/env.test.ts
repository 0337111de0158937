import path from "node:path";
import { readEnv, readServerEnv } from "../../../src/config/env.js";
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

  it.each([
    ["GITDISK_HEAL_INTERVAL_SECONDS", "-1"],
    ["GITDISK_HEAL_INTERVAL_SECONDS", "1.5"],
    ["GITDISK_MAX_BODY_BYTES", "lots"],
  ])("rejects %s=%s", (name, value) => {
    expect(() => readEnv({ [name]: value })).toThrow(ConfigError);
  });

  it("rejects an API key too short to resist guessing", () => {
    expect(() => readEnv({ GITDISK_API_KEY: "short" })).toThrow(/at least 16/);
  });
});

describe("readServerEnv", () => {
  const app = { APP_ID: "42", WEBHOOK_SECRET: "s3cret" };

  it("defaults to port 3000 on localhost, talking to api.github.com", () => {
    expect(readServerEnv(app)).toMatchObject({
      mode: { kind: "app", appId: "42", secret: "s3cret" },
      port: 3000,
      host: "localhost",
      githubApiUrl: "https://api.github.com",
      webhookProxyUrl: undefined,
      webhookPath: "/api/github/webhooks",
      probotEnv: { ...app, LOG_LEVEL: "info" },
      gitdisk: readEnv(app),
    });
  });

  it("reads the port, the host and GitHub Enterprise Server's API address", () => {
    const env = readServerEnv({
      ...app,
      PORT: "8080",
      HOST: "0.0.0.0",
      GHE_HOST: "127.0.0.1:4567",
      GHE_PROTOCOL: "http",
      LOG_LEVEL: "warn",
    });
    expect(env).toMatchObject({
      port: 8080,
      host: "0.0.0.0",
      githubApiUrl: "http://127.0.0.1:4567/api/v3",
      probotEnv: { LOG_LEVEL: "warn" },
    });
  });

  it("hands Probot the values it checked, so Probot listens, routes and verifies as gitdisk does", () => {
    const env = readServerEnv({ APP_ID: "42", WEBHOOK_SECRET: " s3cret ", PORT: " 8080", WEBHOOK_PATH: " /hooks " });
    expect(env).toMatchObject({ mode: { secret: "s3cret" }, port: 8080, webhookPath: "/hooks" });
    expect(env.probotEnv).toMatchObject({ WEBHOOK_SECRET: "s3cret", PORT: "8080", HOST: "localhost", WEBHOOK_PATH: "/hooks" });
  });

  it.each(["abc", "0", "65536", "80.5", "-1", "3000abc"])("refuses PORT=%s, naming the variable", (port) => {
    const attempt = () => readServerEnv({ ...app, PORT: port });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/^PORT must be a port number from 1 to 65535/);
  });

  it("refuses an unknown LOG_LEVEL", () => {
    expect(() => readServerEnv({ ...app, LOG_LEVEL: "loud" })).toThrow(/^LOG_LEVEL must be one of/);
  });
});
