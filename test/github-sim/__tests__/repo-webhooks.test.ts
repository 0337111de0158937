import { verify } from "@octokit/webhooks-methods";
import { type Simulator, startSimulator } from "../start-simulator.js";
import { checkWebhook, installationOctokit, type TestOctokit, tokenOctokit, WebhookReceiver } from "./helpers/sim-test-kit.js";

describe("repository webhooks (token mode, no app installation)", () => {
  let sim: Simulator;
  let first: WebhookReceiver;
  let second: WebhookReceiver;
  let owner: TestOctokit;

  beforeAll(async () => {
    [first, second] = await Promise.all([WebhookReceiver.start(), WebhookReceiver.start()]);
    sim = await startSimulator();
    owner = tokenOctokit(sim, sim.personalAccessToken);
  });

  afterAll(async () => {
    await sim.close();
    await Promise.all([first.close(), second.close()]);
  });

  afterEach(() => {
    expect(sim.violations()).toEqual([]);
  });

  async function newRepo(name: string) {
    await sim.createRepo({ owner: "octo", name, files: { "a.txt": "a" } });
    return { owner: "octo", repo: name };
  }

  async function receivedBy(receiver: WebhookReceiver, guids: string[]) {
    await sim.webhooks.settled();
    return receiver.received.filter((webhook) => guids.includes(webhook.delivery));
  }

  test("POST …/hooks answers 201 with GitHub's hook object and pings the URL, signed with the hook's own secret", async () => {
    const repo = await newRepo("site");
    const created = await owner.rest.repos.createWebhook({
      ...repo,
      config: { url: first.url, content_type: "json", secret: "s3cret", insecure_ssl: "0" },
      events: ["push", "repository"],
    });
    expect(created.status).toBe(201);
    const api = `${sim.apiUrl}/repos/octo/site/hooks/${created.data.id}`;
    expect(created.data).toEqual({
      type: "Repository",
      id: expect.any(Number),
      name: "web",
      active: true,
      events: ["push", "repository"],
      config: { url: first.url, content_type: "json", insecure_ssl: "0", secret: "********" },
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      updated_at: expect.any(String),
      url: api,
      test_url: `${api}/test`,
      ping_url: `${api}/pings`,
      deliveries_url: `${api}/deliveries`,
      last_response: { code: null, status: "unused", message: null },
    });
    await sim.webhooks.settled();
    const ping = first.received.find((webhook) => webhook.event === "ping")!;
    expect(ping.payload).toMatchObject({
      zen: expect.any(String),
      hook_id: created.data.id,
      hook: { id: created.data.id, type: "Repository" },
    });
    expect(ping.headers).toMatchObject({
      "x-github-hook-id": String(created.data.id),
      "x-github-hook-installation-target-type": "repository",
      "x-github-hook-installation-target-id": String(sim.repo("octo/site").id),
    });
    expect(await checkWebhook("s3cret", ping)).toEqual([]);
    expect((await owner.rest.repos.getWebhook({ ...repo, hook_id: created.data.id })).data.last_response).toEqual({
      code: 200,
      status: "active",
      message: "OK",
    });
    expect((await owner.rest.repos.listWebhooks(repo)).data.map((hook) => hook.id)).toEqual([created.data.id]);
  });

  test("a push reaches each hook with its own secret and URL, without an installation field; events filter what each gets", async () => {
    const repo = await newRepo("pushed");
    const pushOnly = await owner.rest.repos.createWebhook({
      ...repo,
      config: { url: first.url, content_type: "json", secret: "first-secret" },
    });
    const everything = await owner.rest.repos.createWebhook({
      ...repo,
      config: { url: second.url, content_type: "json", secret: "second-secret" },
      events: ["*"],
    });
    expect(pushOnly.data.events).toEqual(["push"]);
    const pushed = await sim.push("octo/pushed", { commits: [{ files: { "a.txt": "b" } }] });
    expect(pushed.deliveries).toHaveLength(2);
    const [atFirst] = await receivedBy(first, pushed.deliveries);
    const [atSecond] = await receivedBy(second, pushed.deliveries);
    for (const [webhook, secret, hookId] of [
      [atFirst!, "first-secret", pushOnly.data.id],
      [atSecond!, "second-secret", everything.data.id],
    ] as const) {
      expect(webhook.event).toBe("push");
      expect(webhook.payload).not.toHaveProperty("installation");
      expect(webhook.payload).toMatchObject({ ref: "refs/heads/main", after: sim.head("octo/pushed") });
      expect(webhook.headers["x-github-hook-id"]).toBe(String(hookId));
      expect(await checkWebhook(secret, webhook)).toEqual([]);
    }
    expect(await verify("first-secret", atSecond!.body, atSecond!.signature)).toBe(false);

    sim.setPrivate("octo/pushed", true);
    await sim.webhooks.settled();
    const privatized = sim.webhooks.deliveries({ event: "repository", action: "privatized" });
    expect(privatized.map((delivery) => delivery.hookId)).toEqual([everything.data.id]);
    expect(await checkWebhook("second-secret", second.received.find((webhook) => webhook.delivery === privatized[0]!.guid)!)).toEqual([]);
  });

  test("the app's installation and a repository hook both get a push, only the app's with the installation", async () => {
    const repo = await newRepo("both");
    const appReceiver = await WebhookReceiver.start();
    try {
      sim.setWebhookUrl(appReceiver.url);
      sim.install("octo", ["both"]);
      await owner.rest.repos.createWebhook({ ...repo, config: { url: first.url, content_type: "json", secret: "hook" } });
      const pushed = await sim.push("octo/both", { commits: [{ files: { "b.txt": "b" } }] });
      const [toApp] = await receivedBy(appReceiver, pushed.deliveries);
      const [toHook] = await receivedBy(first, pushed.deliveries);
      expect(toApp!.payload.installation).toMatchObject({ id: sim.installationId("octo") });
      expect(toApp!.headers["x-github-hook-installation-target-type"]).toBe("integration");
      expect(await checkWebhook(sim.app.webhookSecret, toApp!)).toEqual([]);
      expect(toHook!.payload).not.toHaveProperty("installation");
    } finally {
      sim.uninstall("octo");
      sim.setWebhookUrl(null);
      await appReceiver.close();
    }
  });

  test("form content type, no secret, inactive hooks, PATCH and DELETE", async () => {
    const repo = await newRepo("edited");
    const hook = await owner.rest.repos.createWebhook({ ...repo, config: { url: first.url }, active: false });
    expect(hook.data.config).toEqual({ url: first.url, content_type: "form", insecure_ssl: "0" });
    expect((await sim.push("octo/edited", { commits: [{ files: { "x.txt": "1" } }] })).deliveries).toEqual([]);

    await owner.rest.repos.updateWebhook({ ...repo, hook_id: hook.data.id, active: true, add_events: ["meta"] });
    const form = await sim.push("octo/edited", { commits: [{ files: { "x.txt": "2" } }] });
    const [unsigned] = await receivedBy(first, form.deliveries);
    expect(unsigned!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(unsigned!.headers).not.toHaveProperty("x-hub-signature-256");
    expect(unsigned!.payload).toMatchObject({ ref: "refs/heads/main" });

    const updated = await owner.rest.repos.updateWebhook({
      ...repo,
      hook_id: hook.data.id,
      config: { url: second.url, content_type: "json", secret: "later" },
    });
    expect(updated.data).toMatchObject({ events: ["push", "meta"], config: { url: second.url, content_type: "json", secret: "********" } });
    const signed = await sim.push("octo/edited", { commits: [{ files: { "x.txt": "3" } }] });
    expect(await checkWebhook("later", (await receivedBy(second, signed.deliveries))[0]!)).toEqual([]);

    expect((await owner.rest.repos.deleteWebhook({ ...repo, hook_id: hook.data.id })).status).toBe(204);
    await sim.webhooks.settled();
    const meta = second.received.find((webhook) => webhook.event === "meta" && webhook.payload.hook_id === hook.data.id)!;
    expect(await checkWebhook("later", meta)).toEqual([]);
    await expect(owner.rest.repos.getWebhook({ ...repo, hook_id: hook.data.id })).rejects.toMatchObject({ status: 404 });
    expect((await sim.push("octo/edited", { commits: [{ files: { "x.txt": "4" } }] })).deliveries).toEqual([]);
  });

  test("drop, duplicate and hold apply to repository hooks as to the app's", async () => {
    const repo = await newRepo("faulty");
    const hook = await owner.rest.repos.createWebhook({ ...repo, config: { url: first.url, content_type: "json", secret: "f" } });
    await sim.webhooks.settled();
    sim.webhooks.drop(1, { event: "push", hookId: hook.data.id });
    const dropped = await sim.push("octo/faulty", { commits: [{ files: { "d.txt": "1" } }] });
    expect(await receivedBy(first, dropped.deliveries)).toEqual([]);
    sim.webhooks.duplicate(1, { event: "push" });
    const duplicated = await sim.push("octo/faulty", { commits: [{ files: { "d.txt": "2" } }] });
    expect(await receivedBy(first, duplicated.deliveries)).toHaveLength(2);
    sim.webhooks.hold();
    const held = await sim.push("octo/faulty", { commits: [{ files: { "d.txt": "3" } }] });
    expect(await receivedBy(first, held.deliveries)).toEqual([]);
    sim.webhooks.release();
    expect(await receivedBy(first, held.deliveries)).toHaveLength(1);
  });

  test("managing hooks needs admin: an installation token gets 403, a bad URL 422, no token 401", async () => {
    const repo = await newRepo("guarded");
    const { installationId } = sim.install("octo", ["guarded"]);
    try {
      const app = await installationOctokit(sim, installationId);
      await expect(app.rest.repos.createWebhook({ ...repo, config: { url: first.url } })).rejects.toMatchObject({ status: 403 });
      await expect(app.rest.repos.listWebhooks(repo)).rejects.toMatchObject({ status: 403 });
    } finally {
      sim.uninstall("octo");
    }
    await expect(owner.rest.repos.createWebhook({ ...repo, config: { url: "ftp://example.com/hook" } })).rejects.toMatchObject({
      status: 422,
    });
    await owner.rest.repos.createWebhook({ ...repo, config: { url: first.url } });
    await expect(owner.rest.repos.createWebhook({ ...repo, config: { url: first.url } })).rejects.toMatchObject({ status: 422 });
    expect((await fetch(`${sim.apiUrl}/repos/octo/guarded/hooks`)).status).toBe(401);
  });
});
