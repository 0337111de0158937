import nock from "nock";
import { pino } from "pino";
import type { ProbotOctokit } from "probot";
import { checkGithubAuth } from "../../../src/github/check-github-auth.js";
import { GithubAuthStatus } from "../../../src/github/github-auth-status.js";
import { TestOctokit } from "../../helpers/test-probot.js";

const API = "https://api.github.com";

function client(): ProbotOctokit {
  return new TestOctokit({ auth: { token: "ghp_test" }, log: pino({ level: "silent" }) }) as ProbotOctokit;
}

describe("checkGithubAuth (what GitHub says of gitdisk's credentials at start-up)", () => {
  it("asks GET /app in app mode and GET /user in token mode", async () => {
    nock(API).get("/app").reply(200, { id: 1, slug: "gitdisk-test" });
    nock(API).get("/user").reply(200, { login: "monalisa" });
    expect(await checkGithubAuth(client(), "app")).toEqual({ outcome: "ok", identity: "app gitdisk-test" });
    expect(await checkGithubAuth(client(), "token")).toEqual({ outcome: "ok", identity: "user monalisa" });
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("calls 401 and 403 refused, anything else unreachable (the credentials may be fine)", async () => {
    nock(API).get("/user").reply(401, { message: "Bad credentials" });
    nock(API).get("/app").reply(403, { message: "Resource not accessible" });
    nock(API).get("/user").reply(502, { message: "Bad gateway" });
    expect(await checkGithubAuth(client(), "token")).toEqual({ outcome: "refused", reason: expect.stringMatching(/^401 Bad credentials/) });
    expect(await checkGithubAuth(client(), "app")).toEqual({ outcome: "refused", reason: expect.stringMatching(/^403 /) });
    expect(await checkGithubAuth(client(), "token")).toEqual({ outcome: "unreachable", reason: expect.stringMatching(/^502 /) });
  });

  it("calls credentials that cannot even make a request refused (a private key that does not sign)", async () => {
    const unsigned = { request: async () => Promise.reject(new Error("invalid private key")) } as unknown as ProbotOctokit;
    expect(await checkGithubAuth(unsigned, "app")).toEqual({ outcome: "refused", reason: "invalid private key" });
  });

  it("is summed up for /status: checking until it is done, then ok or the reason", () => {
    const status = new GithubAuthStatus();
    expect(status.summary).toBe("checking");
    status.record({ outcome: "refused", reason: "401 Bad credentials" });
    expect(status.summary).toBe("refused: 401 Bad credentials");
    status.record({ outcome: "ok", identity: "user monalisa" });
    expect(status.summary).toBe("ok");
  });
});
