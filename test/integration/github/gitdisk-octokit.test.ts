import nock from "nock";
import { pino } from "pino";
import { GitdiskOctokit } from "../../../src/github/gitdisk-octokit.js";

const API = "https://api.github.com";
const log = pino({ level: "silent" });

function client() {
  return new GitdiskOctokit({ auth: "ghs_test", log });
}

afterEach(() => nock.cleanAll());

describe("GitdiskOctokit (Probot's client with gitdisk's throttling and retry settings)", () => {
  it("does not hold GraphQL queries a second apart (the throttling plugin's default would take ≥ 2 s for three)", async () => {
    const scope = nock(API)
      .post("/graphql")
      .times(3)
      .reply(200, { data: { viewer: { login: "x" } } });
    const octokit = client();
    const started = Date.now();
    for (let i = 0; i < 3; i++) await octokit.graphql("query { viewer { login } }");
    // Spaced, three queries cannot take less than 2,000 ms; unspaced they take a few ms.
    expect(Date.now() - started).toBeLessThan(1_900);
    expect(scope.isDone()).toBe(true);
  });

  it("gives up on a request after a bounded number of secondary-rate-limit retries (1 s apart here)", async () => {
    const limited = { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." };
    const scope = nock(API).get("/repos/o/r").times(4).reply(403, limited, { "retry-after": "1" });
    await expect(client().request("GET /repos/{owner}/{repo}", { owner: "o", repo: "r" })).rejects.toMatchObject({ status: 403 });
    expect(scope.isDone()).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });
});
