import { createSign, generateKeyPairSync } from "node:crypto";
import { type Simulator, startSimulator } from "../start-simulator.js";
import { appOctokit, installationOctokit, tokenOctokit } from "./helpers/sim-test-kit.js";

function jwt(privateKey: string, claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${encode({ alg: "RS256", typ: "JWT" })}.${encode(claims)}`;
  return `${unsigned}.${createSign("RSA-SHA256").update(unsigned).sign(privateKey).toString("base64url")}`;
}

async function status(
  sim: Simulator,
  path: string,
  authorization?: string,
  method = "GET",
): Promise<{ status: number; body: { message?: string } }> {
  const response = await fetch(`${sim.apiUrl}${path}`, { method, headers: authorization ? { authorization } : {} });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as { message?: string } };
}

describe("authentication like GitHub's", () => {
  let sim: Simulator;
  let now = new Date("2030-01-01T00:00:00Z");
  let installationId: number;

  beforeAll(async () => {
    sim = await startSimulator({ clock: () => now });
    await sim.createRepo({ owner: "octo", name: "public", files: { "a.txt": "a" } });
    await sim.createRepo({ owner: "octo", name: "secret", private: true, files: { "b.txt": "b" } });
    await sim.createRepo({ owner: "octo", name: "elsewhere", files: { "c.txt": "c" } });
    await sim.createRepo({ owner: "acme", name: "theirs", ownerType: "Organization", files: { "d.txt": "d" } });
    ({ installationId } = sim.install("octo", ["public", "secret"]));
    sim.install("acme", "all");
  });

  afterAll(() => sim.close());

  test("the app JWT: checked signature, issuer and time window", async () => {
    const seconds = Math.floor(now.getTime() / 1000);
    const good = jwt(sim.app.privateKey, { iat: seconds - 30, exp: seconds + 540, iss: sim.app.id });
    expect((await status(sim, "/app", `Bearer ${good}`)).status).toBe(200);
    const otherKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
    const cases: Array<[string, string]> = [
      ["wrong key", jwt(otherKey, { iat: seconds - 30, exp: seconds + 540, iss: sim.app.id })],
      ["expired", jwt(sim.app.privateKey, { iat: seconds - 700, exp: seconds - 100, iss: sim.app.id })],
      ["too long", jwt(sim.app.privateKey, { iat: seconds, exp: seconds + 3600, iss: sim.app.id })],
      ["from the future", jwt(sim.app.privateKey, { iat: seconds + 300, exp: seconds + 600, iss: sim.app.id })],
      ["other app", jwt(sim.app.privateKey, { iat: seconds - 30, exp: seconds + 540, iss: 999 })],
    ];
    for (const [name, token] of cases) expect([name, (await status(sim, "/app", `Bearer ${token}`)).status]).toEqual([name, 401]);
    expect((await status(sim, "/app")).status).toBe(401);
    expect((await status(sim, "/repos/octo/public", `Bearer ${good}`)).status).toBe(401);
  });

  test("installation tokens: created with the JWT, see only their installation's repositories", async () => {
    const app = await appOctokit(sim);
    const installations = await app.rest.apps.listInstallations();
    expect(installations.data.map((item) => item.account?.login).sort()).toEqual(["acme", "octo"]);
    const octokit = await installationOctokit(sim, installationId);
    expect((await octokit.rest.repos.get({ owner: "octo", repo: "secret" })).data.private).toBe(true);
    await expect(octokit.rest.repos.get({ owner: "octo", repo: "elsewhere" })).rejects.toMatchObject({ status: 404 });
    await expect(octokit.rest.repos.get({ owner: "acme", repo: "theirs" })).rejects.toMatchObject({ status: 404 });
    const listed = await octokit.rest.apps.listReposAccessibleToInstallation();
    expect(listed.data.repositories.map((repo) => repo.full_name).sort()).toEqual(["octo/public", "octo/secret"]);
    await expect(octokit.rest.users.getAuthenticated()).rejects.toMatchObject({ status: 403 });
  });

  test("a token scoped to some repositories and read-only permissions", async () => {
    const app = await appOctokit(sim);
    const scoped = await app.rest.apps.createInstallationAccessToken({
      installation_id: installationId,
      repositories: ["public"],
      permissions: { contents: "read" },
    });
    expect(scoped.data).toMatchObject({ permissions: { contents: "read" }, repository_selection: "selected" });
    const octokit = tokenOctokit(sim, scoped.data.token);
    await octokit.rest.repos.get({ owner: "octo", repo: "public" });
    await expect(octokit.rest.repos.get({ owner: "octo", repo: "secret" })).rejects.toMatchObject({ status: 404 });
    await expect(octokit.rest.git.createBlob({ owner: "octo", repo: "public", content: "x" })).rejects.toMatchObject({ status: 403 });
    await expect(
      app.rest.apps.createInstallationAccessToken({ installation_id: installationId, repositories: ["elsewhere"] }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      app.rest.apps.createInstallationAccessToken({ installation_id: installationId, permissions: { issues: "write" } }),
    ).rejects.toMatchObject({ status: 422 });
  });

  test("bad, expired and revoked tokens are 401; the personal access token sees everything", async () => {
    expect((await status(sim, "/repos/octo/public", "token ghs_nottherightone")).status).toBe(401);
    expect((await status(sim, "/repos/octo/public")).status).toBe(401);
    const pat = tokenOctokit(sim, sim.personalAccessToken);
    for (const name of ["octo/public", "octo/secret", "octo/elsewhere", "acme/theirs"]) {
      const [owner, repo] = name.split("/");
      expect((await pat.rest.repos.get({ owner: owner!, repo: repo! })).data.full_name).toBe(name);
    }
    expect((await pat.rest.users.getAuthenticated()).data.login).toBe(sim.user);
    const app = await appOctokit(sim);
    const { data } = await app.rest.apps.createInstallationAccessToken({ installation_id: installationId });
    expect(new Date(data.expires_at).getTime() - now.getTime()).toBe(60 * 60 * 1000);
    expect((await status(sim, "/repos/octo/public", `token ${data.token}`)).status).toBe(200);
    now = new Date(now.getTime() + 61 * 60 * 1000);
    expect((await status(sim, "/repos/octo/public", `token ${data.token}`)).body).toMatchObject({ message: "Bad credentials" });
    const fresh = await (await appOctokit(sim)).rest.apps.createInstallationAccessToken({ installation_id: installationId });
    expect((await status(sim, "/installation/token", `token ${fresh.data.token}`, "DELETE")).status).toBe(204);
    expect((await status(sim, "/repos/octo/public", `token ${fresh.data.token}`)).status).toBe(401);
  });

  test("uninstalling revokes the installation's tokens", async () => {
    const app = await appOctokit(sim);
    const installation = sim.installationId("acme")!;
    const { data } = await app.rest.apps.createInstallationAccessToken({ installation_id: installation });
    expect((await status(sim, "/repos/acme/theirs", `token ${data.token}`)).status).toBe(200);
    sim.uninstall("acme");
    expect((await status(sim, "/repos/acme/theirs", `token ${data.token}`)).status).toBe(401);
    await expect(app.rest.apps.getInstallation({ installation_id: installation })).rejects.toMatchObject({ status: 404 });
  });

  test("GraphQL needs a token and hides repositories the token cannot see", async () => {
    const octokit = await installationOctokit(sim, installationId);
    const visible = await octokit.graphql<{ repository: { nameWithOwner: string } }>(
      `{ repository(owner:"octo", name:"secret") { nameWithOwner } }`,
    );
    expect(visible.repository.nameWithOwner).toBe("octo/secret");
    await expect(octokit.graphql(`{ repository(owner:"octo", name:"elsewhere") { nameWithOwner } }`)).rejects.toMatchObject({
      errors: [expect.objectContaining({ type: "NOT_FOUND" })],
    });
    const anonymous = await fetch(sim.graphqlUrl, { method: "POST", body: JSON.stringify({ query: "{ viewer { login } }" }) });
    expect(anonymous.status).toBe(401);
    expect(sim.violations()).toEqual([]);
  });
});
