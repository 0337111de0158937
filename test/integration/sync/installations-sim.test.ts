import { type Simulator, startSimulator } from "../../github-sim/start-simulator.js";
import { type SimSync, startSimSync } from "../../helpers/sim-sync.js";
import { makeTempDir } from "../../helpers/temp-dir.js";

/** Installations GitHub made while gitdisk was not listening, against the simulator. */
describe("installations missed by webhooks (simulator)", () => {
  let sim: Simulator;
  let temp: ReturnType<typeof makeTempDir>;
  let gitdisk: SimSync | undefined;

  beforeEach(async () => {
    sim = await startSimulator();
    temp = makeTempDir("gitdisk-installations-sim-");
    await sim.createRepo({ owner: "octo", name: "site", files: { "index.md": "# Site\n" } });
    await sim.createRepo({ owner: "octo", name: "blog", files: { "post.md": "hello\n" } });
  });
  afterEach(async () => {
    await gitdisk?.stop();
    gitdisk = undefined;
    await sim.close();
    temp.cleanup();
  });

  const mirrored = async (fullName: string) => {
    const repo = await gitdisk!.store.findRepo(...(fullName.split("/") as [string, string]));
    return (
      repo &&
      Object.fromEntries(
        await Promise.all(
          (await gitdisk!.store.listFiles(repo.id)).map(async (file) => [
            file.path,
            (await gitdisk!.store.getFile(repo.id, file.path))!.content.toString(),
          ]),
        ),
      )
    );
  };

  it("mirrors an installation made while gitdisk was down at the first heal, and purges it once uninstalled while down", async () => {
    sim.install("octo", ["site", "blog"]);
    await sim.webhooks.settled();
    expect(sim.webhooks.deliveries({ event: "installation" }).map((delivery) => delivery.state)).toEqual(["no-target"]);

    gitdisk = await startSimSync(sim, temp.dir);
    await gitdisk.sync.healAll();
    expect(await mirrored("octo/site")).toEqual({ "index.md": "# Site\n" });
    expect(await mirrored("octo/blog")).toEqual({ "post.md": "hello\n" });
    await gitdisk.stop();

    sim.uninstall("octo");
    await sim.webhooks.settled();
    gitdisk = await startSimSync(sim, temp.dir);
    expect(await mirrored("octo/site")).not.toBeNull(); // the mirror survived the restart
    await gitdisk.sync.healAll();
    expect(await mirrored("octo/site")).toBeNull();
    expect(await mirrored("octo/blog")).toBeNull();
    expect(sim.violations()).toEqual([]);
  });

  it("mirrors a repository whose installation_repositories webhook was dropped, and purges one whose removal was dropped", async () => {
    gitdisk = await startSimSync(sim, temp.dir);
    sim.install("octo", ["site"]);
    await sim.webhooks.settled();
    expect(await mirrored("octo/site")).toEqual({ "index.md": "# Site\n" });

    sim.webhooks.drop(2, { event: "installation_repositories" });
    sim.install("octo", ["blog"]);
    sim.removeFromInstallation("octo", ["site"]);
    await sim.webhooks.settled();
    expect(await mirrored("octo/blog")).toBeNull();

    await gitdisk.sync.healAll();
    expect(await mirrored("octo/blog")).toEqual({ "post.md": "hello\n" });
    expect(await mirrored("octo/site")).toBeNull();
    expect(sim.violations()).toEqual([]);
  });
});
