import { type Simulator, startSimulator } from "../../github-sim/start-simulator.js";
import { type SimSync, startSimSync } from "../../helpers/sim-sync.js";
import { makeTempDir } from "../../helpers/temp-dir.js";

/** Visibility follows GitHub whatever happens to the repository webhooks (simulator, real webhook path). */
describe("a repository made private (simulator)", () => {
  let sim: Simulator;
  let temp: ReturnType<typeof makeTempDir>;
  let gitdisk: SimSync;
  let repoId: number;

  beforeEach(async () => {
    sim = await startSimulator();
    temp = makeTempDir("gitdisk-visibility-sim-");
    repoId = (await sim.createRepo({ owner: "octo", name: "site", files: { "index.md": "# Site\n" } })).id;
    gitdisk = await startSimSync(sim, temp.dir);
    sim.install("octo", ["site"]);
    await sim.webhooks.settled();
    expect(await gitdisk.store.getRepo(repoId)).toMatchObject({ private: false, sha: sim.head("octo/site") });
  });
  afterEach(async () => {
    await gitdisk.stop();
    await sim.close();
    temp.cleanup();
  });

  const isPrivate = async () => (await gitdisk.store.getRepo(repoId))?.private;
  const setPrivate = async (value: boolean) => {
    sim.setPrivate("octo/site", value);
    await sim.webhooks.settled();
    return sim.webhooks.deliveries({ event: "repository" }).at(-1)!;
  };

  it("stays readable without the key while its privatized delivery is lost, until the next heal closes it", async () => {
    sim.webhooks.drop(1, { event: "repository" });
    expect(await setPrivate(true)).toMatchObject({ action: "privatized", state: "dropped" });
    expect(await isPrivate()).toBe(false);
    await gitdisk.sync.healAll();
    expect(await isPrivate()).toBe(true);
    expect(sim.violations()).toEqual([]);
  });

  it("is closed by the next push after its privatized delivery was lost", async () => {
    sim.webhooks.drop(1, { event: "repository" });
    await setPrivate(true);
    const pushed = await sim.push("octo/site", { commits: [{ files: { "next.md": "next\n" } }] });
    await sim.webhooks.settled();
    expect(await gitdisk.store.getRepo(repoId)).toMatchObject({ private: true, sha: pushed.after });
  });

  it("is not reopened by an old publicized delivery, replayed or arriving late", async () => {
    await setPrivate(true);
    const publicized = await setPrivate(false);
    expect(publicized).toMatchObject({ action: "publicized" });
    await setPrivate(true);
    expect(await isPrivate()).toBe(true);
    sim.webhooks.redeliver(publicized.guid);
    await sim.webhooks.settled();
    expect(await isPrivate()).toBe(true);

    sim.webhooks.hold();
    sim.setPrivate("octo/site", false);
    sim.setPrivate("octo/site", true);
    expect(sim.webhooks.release("reverse")).toBe(2);
    await sim.webhooks.settled();
    expect(
      sim.webhooks
        .deliveries({ event: "repository" })
        .slice(-2)
        .map((delivery) => [delivery.action, delivery.state]),
    ).toEqual([
      ["publicized", "delivered"],
      ["privatized", "delivered"],
    ]);
    expect(await isPrivate()).toBe(true);
  });

  it("stays private when GitHub cannot confirm: a privatized delivery closes at once, a publicized one opens nothing until GitHub answers", async () => {
    sim.faults.inject({ endpoint: "GET /repos/{owner}/{repo}", kind: "error", status: 502, times: 2 });
    await setPrivate(true);
    expect(await isPrivate()).toBe(true);
    await setPrivate(false);
    expect(await isPrivate()).toBe(true);
    expect(sim.faults.pending()).toEqual([]);
    await gitdisk.sync.healAll();
    expect(await isPrivate()).toBe(false);
  });
});
