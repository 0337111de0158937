import nock from "nock";
import { createGithubSignIn, GithubSignInError } from "../../../src/auth/github-sign-in.js";

const CALLBACK = "https://data.example.com/v1/auth/callback";
const options = { clientId: "Iv1.abc", clientSecret: "secret", callbackUrl: CALLBACK, apiUrl: "https://api.github.com" };
const USER = {
  id: 11,
  login: "Alice",
  name: "Alice A.",
  avatar_url: "https://avatars.example/a",
  html_url: "https://github.com/Alice",
  extra: 1,
};

function exchange(host = "https://github.com", reply: object = { access_token: "ghu_user", token_type: "bearer", scope: "" }) {
  return nock(host)
    .post("/login/oauth/access_token", { client_id: "Iv1.abc", client_secret: "secret", code: "the-code", redirect_uri: CALLBACK })
    .reply(200, reply);
}

describe("createGithubSignIn", () => {
  afterEach(() => {
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("sends the visitor to github.com's authorize page with the callback and the state", () => {
    const url = new URL(createGithubSignIn(options).authorizeUrl("n0nce"));
    expect(url.origin + url.pathname).toBe("https://github.com/login/oauth/authorize");
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ client_id: "Iv1.abc", redirect_uri: CALLBACK, state: "n0nce" });
  });

  it("uses GitHub Enterprise Server's own host for the pages and its /api/v3 for the API", async () => {
    const ghe = createGithubSignIn({ ...options, apiUrl: "http://ghe.example:4567/api/v3" });
    expect(ghe.authorizeUrl("s")).toMatch(/^http:\/\/ghe\.example:4567\/login\/oauth\/authorize\?/);
    exchange("http://ghe.example:4567");
    nock("http://ghe.example:4567").get("/api/v3/user").reply(200, USER);
    nock("http://ghe.example:4567")
      .get("/api/v3/repos/octo/site")
      .reply(200, { permissions: { admin: false } });
    expect(await ghe.signIn("the-code", "octo/site")).toMatchObject({ user: { login: "Alice" }, admin: false });
  });

  it("exchanges the code, reads the user and their admin rights with the user's token", async () => {
    exchange();
    nock("https://api.github.com", { reqheaders: { authorization: "token ghu_user" } })
      .get("/user")
      .reply(200, USER)
      .get("/repos/octo/site")
      .reply(200, { permissions: { admin: true, push: true } });
    expect(await createGithubSignIn(options).signIn("the-code", "octo/site")).toEqual({
      user: { id: 11, login: "Alice", name: "Alice A.", avatar_url: "https://avatars.example/a", html_url: "https://github.com/Alice" },
      admin: true,
    });
  });

  it.each([404, 403])("reads a %i on the repository as not an admin", async (status) => {
    exchange();
    nock("https://api.github.com").get("/user").reply(200, USER).get("/repos/octo/site").reply(status, { message: "Not Found" });
    expect((await createGithubSignIn(options).signIn("the-code", "octo/site")).admin).toBe(false);
  });

  it("names GitHub's OAuth error when the code is refused", async () => {
    exchange("https://github.com", {
      error: "bad_verification_code",
      error_description: "The code passed is incorrect or expired.",
      error_uri: "x",
    });
    const refused = createGithubSignIn(options).signIn("the-code", "octo/site");
    await expect(refused).rejects.toBeInstanceOf(GithubSignInError);
    await expect(refused).rejects.toMatchObject({ reason: "bad_verification_code" });
  });

  it("says github_error when GitHub fails", async () => {
    nock("https://github.com").post("/login/oauth/access_token").reply(500, "down");
    await expect(createGithubSignIn(options).signIn("the-code", "octo/site")).rejects.toMatchObject({ reason: "github_error" });
    exchange();
    nock("https://api.github.com").get("/user").reply(401, { message: "Bad credentials" });
    await expect(createGithubSignIn(options).signIn("the-code", "octo/site")).rejects.toMatchObject({ reason: "github_error" });
  });
});
