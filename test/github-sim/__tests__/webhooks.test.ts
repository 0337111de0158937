import { type Simulator, startSimulator, type WebhookDelivery } from "../start-simulator.js";
import { checkWebhook, WebhookReceiver } from "./helpers/sim-test-kit.js";

describe("webhooks like GitHub's", () => {
  let sim: Simulator;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    sim = await startSimulator({ webhookUrl: receiver.url, webhookTimeoutMs: 1000 });
    await sim.createRepo({ owner: "octo", name: "site", files: { "a.txt": "a", "b/c.txt": "c" } });
    await sim.createRepo({ owner: "octo", name: "later", files: { "x.txt": "x" } });
  });

  afterAll(async () => {
    await sim.close();
    await receiver.close();
  });

  beforeEach(() => {
    receiver.status = 200;
    receiver.delayMs = 0;
  });

  async function received(guids: string[]) {
    await sim.webhooks.settled();
    return receiver.received.filter((webhook) => guids.includes(webhook.delivery));
  }

  test("every event kind is signed and matches @octokit/webhooks-schemas", async () => {
    const start = receiver.received.length;
    sim.install("octo", ["site"]);
    sim.install("octo", ["later"]);
    await sim.push("octo/site", {
      commits: [{ files: { "a.txt": "edited", "new.txt": "n", "b/c.txt": null }, renames: {} }, { renames: { "new.txt": "moved.txt" } }],
    });
    await sim.push("octo/site", { branch: "feature", commits: [{ files: { "f.txt": "f" } }] });
    await sim.push("octo/site", { parent: null, commits: [{ files: { "root.txt": "unrelated" } }] });
    await sim.deleteBranch("octo/site", "feature");
    sim.renameRepo("octo/later", "renamed");
    sim.setPrivate("octo/renamed", true);
    sim.setPrivate("octo/renamed", false);
    await sim.push("octo/renamed", { branch: "next", commits: [{ files: { "y.txt": "y" } }] });
    await sim.setDefaultBranch("octo/renamed", "next");
    sim.removeFromInstallation("octo", ["renamed"]);
    sim.install("octo", ["renamed"]);
    sim.deleteRepo("octo/renamed");
    sim.uninstall("octo");
    await sim.webhooks.settled();
    const webhooks = receiver.received.slice(start);
    const kinds = webhooks.map((webhook) => `${webhook.event}.${(webhook.payload.action as string | undefined) ?? ""}`);
    expect(new Set(kinds)).toEqual(
      new Set([
        "installation.created",
        "installation_repositories.added",
        "push.",
        "repository.renamed",
        "repository.privatized",
        "repository.publicized",
        "repository.edited",
        "installation_repositories.removed",
        "repository.deleted",
        "installation.deleted",
      ]),
    );
    for (const webhook of webhooks)
      expect({
        kind: `${webhook.event}.${String(webhook.payload.action)}`,
        problems: await checkWebhook(sim.app.webhookSecret, webhook),
      }).toMatchObject({ problems: [] });
    const pushes = webhooks.filter((webhook) => webhook.event === "push").map((webhook) => webhook.payload);
    expect(pushes.map((push) => [push.ref, push.created, push.deleted, push.forced])).toEqual([
      ["refs/heads/main", false, false, false],
      ["refs/heads/feature", true, false, false],
      ["refs/heads/main", false, false, true],
      ["refs/heads/feature", false, true, false],
      ["refs/heads/next", true, false, false],
    ]);
    expect(pushes[0]!.commits).toEqual([
      expect.objectContaining({ added: ["new.txt"], removed: ["b/c.txt"], modified: ["a.txt"] }),
      expect.objectContaining({ added: ["moved.txt"], removed: ["new.txt"], modified: [] }),
    ]);
    expect(pushes[3]).toMatchObject({ after: "0".repeat(40), commits: [], head_commit: null });
    const edited = webhooks.find((webhook) => webhook.payload.action === "edited")!.payload;
    expect(edited).toMatchObject({ changes: { default_branch: { from: "main" } }, repository: { default_branch: "next" } });
    const renamed = webhooks.find((webhook) => webhook.payload.action === "renamed")!.payload;
    expect(renamed).toMatchObject({ changes: { repository: { name: { from: "later" } } }, repository: { full_name: "octo/renamed" } });
  });

  test("no push webhook for a repository the app is not installed on", async () => {
    await sim.createRepo({ owner: "octo", name: "untracked", files: { "a.txt": "a" } });
    const result = await sim.push("octo/untracked", { commits: [{ files: { "a.txt": "b" } }] });
    expect(result.deliveries).toEqual([]);
  });

  test("drop, duplicate, hold and release in reverse order", async () => {
    sim.install("octo", ["site"]);
    sim.webhooks.drop(1, { event: "push" });
    const dropped = await sim.push("octo/site", { commits: [{ files: { "drop.txt": "1" } }] });
    expect(sim.webhooks.deliveries().find((delivery) => delivery.guid === dropped.deliveries[0])!.state).toBe("dropped");
    expect(await received(dropped.deliveries)).toEqual([]);

    sim.webhooks.duplicate(1, { event: "push" });
    const duplicated = await sim.push("octo/site", { commits: [{ files: { "dup.txt": "1" } }] });
    expect(duplicated.deliveries).toHaveLength(2);
    const copies = await received(duplicated.deliveries);
    expect(copies).toHaveLength(2);
    expect(new Set(copies.map((copy) => copy.delivery)).size).toBe(1);
    expect(copies[0]!.body).toBe(copies[1]!.body);
    sim.webhooks.duplicate(1, { event: "push" }, { newGuid: true });
    const distinct = await sim.push("octo/site", { commits: [{ files: { "dup2.txt": "1" } }] });
    expect(new Set(distinct.deliveries).size).toBe(2);
    expect(await received(distinct.deliveries)).toHaveLength(2);

    sim.webhooks.hold();
    const first = await sim.push("octo/site", { commits: [{ files: { "h1.txt": "1" } }] });
    const second = await sim.push("octo/site", { commits: [{ files: { "h2.txt": "2" } }] });
    const before = receiver.received.length;
    await sim.webhooks.settled();
    expect(receiver.received.length).toBe(before);
    expect(sim.webhooks.release("reverse")).toBe(2);
    await sim.webhooks.settled();
    const order = receiver.received.slice(before).map((webhook) => webhook.delivery);
    expect(order).toEqual([second.deliveries[0], first.deliveries[0]]);
  });

  test("each delivery records its response status; no retries; a slow endpoint times out", async () => {
    receiver.status = 500;
    const failed = await sim.push("octo/site", { commits: [{ files: { "fail.txt": "1" } }] });
    const failure = await sim.webhooks.waitFor((delivery: WebhookDelivery) => delivery.guid === failed.deliveries[0]);
    expect(failure).toMatchObject({ state: "failed", statusCode: 500 });
    receiver.status = 200;
    receiver.delayMs = 2000;
    const slow = await sim.push("octo/site", { commits: [{ files: { "slow.txt": "1" } }] });
    const timedOut = await sim.webhooks.waitFor((delivery: WebhookDelivery) => delivery.guid === slow.deliveries[0]);
    expect(timedOut).toMatchObject({ state: "failed", error: "timed out" });
    expect(receiver.received.filter((webhook) => webhook.delivery === failed.deliveries[0])).toHaveLength(1);
  });

  test("with no webhook URL, deliveries are recorded as undelivered", async () => {
    sim.setWebhookUrl(null);
    const pushed = await sim.push("octo/site", { commits: [{ files: { "nowhere.txt": "1" } }] });
    expect(sim.webhooks.deliveries().find((delivery) => delivery.guid === pushed.deliveries[0])!.state).toBe("no-target");
    sim.setWebhookUrl(receiver.url);
  });
});
