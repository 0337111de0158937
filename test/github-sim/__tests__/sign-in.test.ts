/**
 * What a "Sign in with GitHub" needs from the simulator, as GitHub documents it: the authorize page's
 * parameters and refusals, the code exchange (form or JSON, GitHub's 200 errors), @octokit/oauth-methods
 * against a GHE-style base URL, and a user token (ghu_…) that reaches only what both the person and the
 * app reach, with the person's role as `permissions`.
 */
import { exchangeWebFlowCode, getWebFlowAuthorizationUrl } from "@octokit/oauth-methods";
import { type Simulator, startSimulator } from "../start-simulator.js";
import { anonymousRequest, tokenOctokit } from "./helpers/sim-test-kit.js";

const CALLBACK = "http://127.0.0.1:9/v1/auth/callback";

let sim: Simulator;
let now = new Date("2026-12-01T10:00:00Z");

beforeAll(async () => {
  sim = await startSimulator({ oauthCallbackUrl: CALLBACK, clock: () => now });
  await sim.createRepo({ owner: "octo", name: "site", private: true, files: { "a.txt": "a" } });
  await sim.createRepo({ owner: "octo", name: "elsewhere", private: true, files: { "b.txt": "b" } });
  await sim.createRepo({ owner: "octo", name: "open", files: { "c.txt": "c" } });
  sim.install("octo", ["site", "open"]);
  sim.setCollaborator("octo/site", "ada", "admin");
  sim.setCollaborator("octo/site", "bob", "push");
  sim.setCollaborator("octo/site", "cy", "pull");
  sim.setCollaborator("octo/elsewhere", "ada", "admin");
});

afterAll(() => sim.close());

afterEach(() => {
  expect(sim.violations()).toEqual([]);
});

async function authorize(query: Record<string, string>): Promise<URL> {
  const response = await fetch(`${sim.url}/login/oauth/authorize?${new URLSearchParams(query)}`, { redirect: "manual" });
  expect(response.status).toBe(302);
  return new URL(response.headers.get("location")!);
}

async function codeFor(login: string): Promise<string> {
  const back = await authorize({ client_id: sim.app.clientId, redirect_uri: CALLBACK, state: "st", sim_user: login });
  return back.searchParams.get("code")!;
}

async function userToken(login: string): Promise<string> {
  const { authentication } = await exchangeWebFlowCode({
    clientType: "github-app",
    clientId: sim.app.clientId,
    clientSecret: sim.app.clientSecret,
    code: await codeFor(login),
    request: anonymousRequest(sim),
  });
  return authentication.token;
}

async function exchangeRaw(body: string, contentType: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${sim.url}/login/oauth/access_token`, {
    method: "POST",
    headers: { "content-type": contentType, accept: "application/json" },
    body,
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

describe("the authorize page", () => {
  test("GitHub's parameters are taken; sim_user chooses who signs in; code and state come back", async () => {
    const back = await authorize({
      client_id: sim.app.clientId,
      redirect_uri: CALLBACK,
      state: "nonce-1",
      login: "someone",
      allow_signup: "false",
      sim_user: "ada",
    });
    expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
    expect(back.searchParams.get("state")).toBe("nonce-1");
    const token = await exchangeRaw(
      new URLSearchParams({
        client_id: sim.app.clientId,
        client_secret: sim.app.clientSecret,
        code: back.searchParams.get("code")!,
      }).toString(),
      "application/x-www-form-urlencoded",
    );
    expect((await tokenOctokit(sim, token.access_token as string).rest.users.getAuthenticated()).data).toMatchObject({
      login: "ada",
      name: "ada",
      avatar_url: expect.stringMatching(/^http/),
      html_url: `${sim.url}/ada`,
    });
  });

  test("the person declines: back to the app with error=access_denied and the state, no code", async () => {
    const back = await authorize({ client_id: sim.app.clientId, redirect_uri: CALLBACK, state: "nonce-2", sim_deny: "true" });
    expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
    expect(Object.fromEntries(back.searchParams)).toEqual({
      error: "access_denied",
      error_description: "The user has denied your application access.",
      error_uri: expect.stringMatching(/#access-denied$/),
      state: "nonce-2",
    });
  });

  test("a redirect_uri outside the registered callback goes nowhere but the registered callback, with the error", async () => {
    const back = await authorize({ client_id: sim.app.clientId, redirect_uri: "http://evil.example/steal", state: "s" });
    expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
    expect(back.searchParams.get("error")).toBe("redirect_uri_mismatch");
    expect(back.searchParams.get("code")).toBeNull();
  });

  test("the registered callback can be set after start (gitdisk's port is known only then)", async () => {
    sim.setOAuthCallbackUrl("http://127.0.0.1:10/v1/auth/callback");
    try {
      const back = await authorize({ client_id: sim.app.clientId, redirect_uri: "http://127.0.0.1:10/v1/auth/callback" });
      expect(back.searchParams.get("code")).toMatch(/^[0-9a-f]+$/);
    } finally {
      sim.setOAuthCallbackUrl(CALLBACK);
    }
  });

  test("an unknown client_id is GitHub's 404 page", async () => {
    const response = await fetch(`${sim.url}/login/oauth/authorize?client_id=Iv1.nope`, { redirect: "manual" });
    expect(response.status).toBe(404);
  });
});

describe("the code exchange", () => {
  test("@octokit/oauth-methods builds the authorize URL and exchanges the code at the GHE host's /login/oauth/…", async () => {
    const { url } = getWebFlowAuthorizationUrl({
      clientType: "github-app",
      clientId: sim.app.clientId,
      redirectUrl: CALLBACK,
      state: "s",
      request: anonymousRequest(sim),
    });
    expect(url.startsWith(`${sim.url}/login/oauth/authorize?`)).toBe(true);
    const code = await codeFor("ada");
    sim.metrics.reset();
    const { authentication } = await exchangeWebFlowCode({
      clientType: "github-app",
      clientId: sim.app.clientId,
      clientSecret: sim.app.clientSecret,
      code,
      redirectUrl: CALLBACK,
      request: anonymousRequest(sim),
    });
    expect(authentication).toMatchObject({
      token: expect.stringMatching(/^ghu_/),
      refreshToken: expect.stringMatching(/^ghr_/),
      expiresAt: new Date(now.getTime() + 8 * 3600 * 1000).toISOString(),
    });
    expect(Object.keys(sim.metrics.snapshot().byEndpoint)).toEqual(["POST /login/oauth/access_token"]);
  });

  test("a JSON body is taken as a form is", async () => {
    const body = JSON.stringify({ client_id: sim.app.clientId, client_secret: sim.app.clientSecret, code: await codeFor("bob") });
    expect(await exchangeRaw(body, "application/json")).toMatchObject({
      access_token: expect.stringMatching(/^ghu_/),
      token_type: "bearer",
    });
  });

  test("a wrong, used or expired code is GitHub's 200 with bad_verification_code; oauth-methods turns it into an error", async () => {
    const exchange = (code: string) =>
      exchangeRaw(JSON.stringify({ client_id: sim.app.clientId, client_secret: sim.app.clientSecret, code }), "application/json");
    const badCode = {
      error: "bad_verification_code",
      error_description: "The code passed is incorrect or expired.",
      error_uri: expect.stringMatching(/#bad-verification-code$/),
    };
    expect(await exchange("not-a-code")).toEqual(badCode);
    const used = await codeFor("ada");
    expect(await exchange(used)).toHaveProperty("access_token");
    expect(await exchange(used)).toEqual(badCode);
    const expiring = await codeFor("ada");
    now = new Date(now.getTime() + 10 * 60 * 1000 + 1);
    expect(await exchange(expiring)).toEqual(badCode);
    await expect(
      exchangeWebFlowCode({
        clientType: "github-app",
        clientId: sim.app.clientId,
        clientSecret: sim.app.clientSecret,
        code: "not-a-code",
        request: anonymousRequest(sim),
      }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining("bad_verification_code") });
  });
});

describe("a user token (ghu_…)", () => {
  async function permissionsOf(login: string, fullName: string): Promise<unknown> {
    const [owner, repo] = fullName.split("/") as [string, string];
    const answer = await tokenOctokit(sim, await userToken(login))
      .rest.repos.get({ owner, repo })
      .catch((error: { status: number }) => ({ status: error.status, data: null }));
    return answer.status === 200 ? (answer.data as { permissions: unknown }).permissions : answer.status;
  }

  test("GET /repos/{owner}/{repo} shows the person's role as permissions", async () => {
    const all = { admin: true, maintain: true, push: true, triage: true, pull: true };
    expect(await permissionsOf("octo", "octo/site")).toEqual(all);
    expect(await permissionsOf("ada", "octo/site")).toEqual(all);
    expect(await permissionsOf("bob", "octo/site")).toEqual({ admin: false, maintain: false, push: true, triage: true, pull: true });
    expect(await permissionsOf("cy", "octo/site")).toEqual({ admin: false, maintain: false, push: false, triage: false, pull: true });
    expect(await permissionsOf("dee", "octo/open")).toEqual({ admin: false, maintain: false, push: false, triage: false, pull: true });
  });

  test("a private repository is absent (404) to a person without access, and to everyone where the app is not installed", async () => {
    expect(await permissionsOf("dee", "octo/site")).toBe(404);
    expect(await permissionsOf("ada", "octo/elsewhere")).toBe(404);
    expect(await permissionsOf("octo", "octo/elsewhere")).toBe(404);
  });

  test("a collaborator's role can be changed and taken away over the control API", async () => {
    const control = (method: string, body?: unknown) =>
      fetch(`${sim.url}/_sim/repos/octo/site/collaborators/eve`, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
      });
    expect((await control("PUT", { permission: "maintain" })).status).toBe(200);
    expect(await permissionsOf("eve", "octo/site")).toMatchObject({ admin: false, maintain: true, push: true });
    expect((await control("PUT", { permission: "owner" })).status).toBe(400);
    expect((await control("DELETE")).status).toBe(200);
    expect(await permissionsOf("eve", "octo/site")).toBe(404);
  });
});
