import { chooseMode } from "../../../src/config/choose-mode.js";
import { ConfigError } from "../../../src/errors.js";

describe("chooseMode", () => {
  it("opens Probot's setup page with neither a token nor an app id, secret or not", () => {
    expect(chooseMode({})).toEqual({ kind: "setup" });
    expect(chooseMode({ APP_ID: " ", GITHUB_TOKEN: "", WEBHOOK_SECRET: "" })).toEqual({ kind: "setup" });
  });

  it("runs as a GitHub App with APP_ID, and in token mode with GITHUB_TOKEN, which wins", () => {
    expect(chooseMode({ APP_ID: "42", WEBHOOK_SECRET: "s3cret" })).toEqual({ kind: "app", appId: "42", secret: "s3cret" });
    expect(chooseMode({ APP_ID: "42", GITHUB_TOKEN: "ghp_x", WEBHOOK_SECRET: "s3cret" })).toEqual({
      kind: "token",
      githubToken: "ghp_x",
      secret: "s3cret",
    });
  });

  it.each([
    ["app", { APP_ID: "42" }],
    ["token", { GITHUB_TOKEN: "ghp_x" }],
  ])("refuses %s mode without a secret, blank or Probot's public placeholder", (_mode, credentials) => {
    for (const secret of [undefined, "", "  ", "development"]) {
      const attempt = () => chooseMode({ ...credentials, WEBHOOK_SECRET: secret });
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(/WEBHOOK_SECRET/);
    }
  });
});
