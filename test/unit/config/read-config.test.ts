import path from "node:path";
import { readConfig } from "../../../src/config/read-config.js";
import { DEFAULT_WRITEBACK_OPTIONS } from "../../../src/config/writeback-options.js";
import { ConfigError } from "../../../src/errors.js";

describe("readConfig: gitdisk's own variables", () => {
  it("defaults to an embedded store under ./data with healing every 5 minutes", () => {
    const config = readConfig({});
    expect(config.store).toEqual({ dataDir: path.resolve("./data"), databaseUrl: undefined, maxRepoBytes: 1024 ** 3 });
    expect(config.api).toEqual({ apiKey: undefined, maxBodyBytes: 1_048_576 });
    expect(config.sync).toEqual({ healIntervalMs: 300_000 });
    expect(config.github.mode).toEqual({ kind: "setup" });
  });

  it("reads gitdisk's variables and treats blank ones as unset", () => {
    const config = readConfig({
      DATA_DIR: "/srv/gitdisk",
      DATABASE_URL: "  ",
      GITDISK_API_KEY: "k".repeat(32),
      GITHUB_TOKEN: "github_pat_x",
      WEBHOOK_SECRET: "s3cret",
      GITDISK_HEAL_INTERVAL_SECONDS: "0",
      GITDISK_MAX_BODY_BYTES: "2048",
      GITDISK_MAX_REPO_BYTES: "5000000",
    });
    expect(config).toMatchObject({
      store: { dataDir: "/srv/gitdisk", databaseUrl: undefined, maxRepoBytes: 5_000_000 },
      api: { apiKey: "k".repeat(32), maxBodyBytes: 2048 },
      github: { mode: { kind: "token", githubToken: "github_pat_x" } },
      sync: { healIntervalMs: 0 },
    });
  });

  it.each([
    ["GITDISK_HEAL_INTERVAL_SECONDS", "-1", "from 0 to 604800"],
    ["GITDISK_HEAL_INTERVAL_SECONDS", "1.5", "from 0 to 604800"],
    // Beyond about 24.8 days Node's timers fire at once: the heal would run without pause.
    ["GITDISK_HEAL_INTERVAL_SECONDS", "3000000", "from 0 to 604800"],
    ["GITDISK_MAX_BODY_BYTES", "lots", "from 1 to 104857600"],
    ["GITDISK_MAX_BODY_BYTES", "0", "from 1 to 104857600"],
    ["GITDISK_MAX_BODY_BYTES", "100000000000000000000", "from 1 to 104857600"],
  ])("rejects %s=%s, naming the variable and the range", (name, value, range) => {
    const attempt = () => readConfig({ [name]: value });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(`${name} must be a whole number ${range}, got ${JSON.stringify(value)}`);
  });

  it("rejects an API key too short to resist guessing", () => {
    expect(() => readConfig({ GITDISK_API_KEY: "short" })).toThrow(/at least 16/);
  });
});

describe("readConfig: the server and GitHub", () => {
  const app = { APP_ID: "42", WEBHOOK_SECRET: "s3cret" };

  it("defaults to port 3000 on localhost, talking to api.github.com", () => {
    expect(readConfig(app)).toMatchObject({
      github: { mode: { kind: "app", appId: "42", secret: "s3cret" }, apiUrl: "https://api.github.com" },
      server: { port: 3000, host: "localhost", webhookProxyUrl: undefined, webhookPath: "/api/github/webhooks" },
      probotEnv: { ...app, LOG_LEVEL: "info" },
    });
  });

  it("reads the port, the host and GitHub Enterprise Server's API address", () => {
    const config = readConfig({
      ...app,
      PORT: "8080",
      HOST: "0.0.0.0",
      GHE_HOST: "127.0.0.1:4567",
      GHE_PROTOCOL: "http",
      LOG_LEVEL: "warn",
    });
    expect(config).toMatchObject({
      server: { port: 8080, host: "0.0.0.0", logLevel: "warn" },
      github: { apiUrl: "http://127.0.0.1:4567/api/v3" },
      probotEnv: { LOG_LEVEL: "warn" },
    });
  });

  it("refuses a GHE_PROTOCOL other than https or http, naming it", () => {
    const attempt = () => readConfig({ ...app, GHE_HOST: "github.example.com", GHE_PROTOCOL: "ftp" });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow('GHE_PROTOCOL must be https or http, got "ftp"');
  });

  it("hands Probot the values it checked, so Probot listens, routes and verifies as gitdisk does", () => {
    const config = readConfig({ APP_ID: "42", WEBHOOK_SECRET: " s3cret ", PORT: " 8080", WEBHOOK_PATH: " /hooks " });
    expect(config).toMatchObject({ github: { mode: { secret: "s3cret" } }, server: { port: 8080, webhookPath: "/hooks" } });
    expect(config.probotEnv).toMatchObject({ WEBHOOK_SECRET: "s3cret", PORT: "8080", HOST: "localhost", WEBHOOK_PATH: "/hooks" });
  });

  it.each(["abc", "0", "65536", "80.5", "-1", "3000abc"])("refuses PORT=%s, naming the variable", (port) => {
    const attempt = () => readConfig({ ...app, PORT: port });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/^PORT must be a port number from 1 to 65535/);
  });

  it("refuses an unknown LOG_LEVEL", () => {
    expect(() => readConfig({ ...app, LOG_LEVEL: "loud" })).toThrow(/^LOG_LEVEL must be one of/);
  });
});

describe("readConfig: the write-back", () => {
  it("uses the defaults when nothing is set", () => {
    expect(readConfig({}).writeback).toEqual(DEFAULT_WRITEBACK_OPTIONS);
    expect(DEFAULT_WRITEBACK_OPTIONS).toMatchObject({ flushWindowMs: 2000, maxFilesPerCommit: 500 });
  });

  it("reads the flush window, file cap, wait and stop limits", () => {
    const { writeback } = readConfig({
      GITDISK_FLUSH_WINDOW_MS: "250",
      GITDISK_MAX_FILES_PER_COMMIT: "100",
      GITDISK_WRITE_WAIT_SECONDS: "30",
      GITDISK_STOP_TIMEOUT_SECONDS: "5",
    });
    expect(writeback).toMatchObject({ flushWindowMs: 250, maxFilesPerCommit: 100, maxWaitMs: 30_000, stopTimeoutMs: 5_000 });
  });

  it.each([
    ["GITDISK_FLUSH_WINDOW_MS", "0"],
    ["GITDISK_MAX_FILES_PER_COMMIT", "5000"],
    ["GITDISK_WRITE_WAIT_SECONDS", "1.5"],
    ["GITDISK_STOP_TIMEOUT_SECONDS", "soon"],
  ])("refuses %s=%s, naming the variable", (name, value) => {
    const attempt = () => readConfig({ [name]: value });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(new RegExp(`^${name} must be a whole number from 1 to`));
  });
});

describe("readConfig: sign in with GitHub", () => {
  // An app that exists: in setup mode (no app yet) sign-in is not judged, since the setup page writes its client.
  const app = { APP_ID: "42", WEBHOOK_SECRET: "s3cret" };
  const signIn = {
    ...app,
    GITHUB_CLIENT_ID: "Iv1.abc",
    GITHUB_CLIENT_SECRET: "client-secret",
    GITDISK_SESSION_SECRET: "s".repeat(32),
    GITDISK_PUBLIC_URL: "https://data.example.com/",
  };

  it("is off when none of its variables is set, or only the client id and secret Probot's setup page writes", () => {
    expect(readConfig(app).signIn).toBeUndefined();
    expect(readConfig({ ...app, GITHUB_CLIENT_ID: "Iv1.abc", GITHUB_CLIENT_SECRET: "client-secret" }).signIn).toBeUndefined();
  });

  it("is not judged before the app exists: the setup page, which writes the client id and secret, still opens", () => {
    expect(readConfig({ GITDISK_SESSION_SECRET: "s".repeat(32) }).signIn).toBeUndefined();
  });

  it("reads the client, the secrets and the public URL, with the callback and Secure cookies over https", () => {
    expect(readConfig({ ...signIn, GITDISK_SESSION_SECRET_PREVIOUS: "p".repeat(32) }).signIn).toEqual({
      clientId: "Iv1.abc",
      clientSecret: "client-secret",
      sessionSecret: "s".repeat(32),
      previousSessionSecret: "p".repeat(32),
      publicUrl: "https://data.example.com",
      callbackUrl: "https://data.example.com/v1/auth/callback",
      secureCookies: true,
    });
    expect(readConfig({ ...signIn, GITDISK_PUBLIC_URL: "http://localhost:3000/gitdisk" }).signIn).toMatchObject({
      callbackUrl: "http://localhost:3000/gitdisk/v1/auth/callback",
      secureCookies: false,
      previousSessionSecret: undefined,
    });
  });

  it("refuses a partial set, naming what is missing", () => {
    const attempt = () => readConfig({ ...app, GITHUB_CLIENT_ID: "Iv1.abc", GITDISK_SESSION_SECRET: "s".repeat(32) });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/missing: GITHUB_CLIENT_SECRET, GITDISK_PUBLIC_URL$/);
    expect(() => readConfig({ ...app, GITDISK_SESSION_SECRET_PREVIOUS: "p".repeat(32) })).toThrow(/missing: GITHUB_CLIENT_ID/);
  });

  it.each([
    ["GITDISK_SESSION_SECRET", "short", /^GITDISK_SESSION_SECRET must be at least 32 characters/],
    ["GITDISK_SESSION_SECRET_PREVIOUS", "short", /^GITDISK_SESSION_SECRET_PREVIOUS must be at least 32 characters/],
    ["GITDISK_PUBLIC_URL", "data.example.com", /^GITDISK_PUBLIC_URL must be an http\(s\) base URL/],
    ["GITDISK_PUBLIC_URL", "ftp://data.example.com", /^GITDISK_PUBLIC_URL must be/],
    ["GITDISK_PUBLIC_URL", "https://data.example.com/?x=1", /^GITDISK_PUBLIC_URL must be/],
  ])("refuses %s=%s, naming it", (name, value, message) => {
    const attempt = () => readConfig({ ...signIn, [name]: value });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
  });
});
