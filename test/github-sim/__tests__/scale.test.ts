import { type Simulator, startSimulator } from "../start-simulator.js";
import { manyFiles, tokenOctokit } from "./helpers/sim-test-kit.js";

/** The e2e suite and the benchmarks need big repositories and many pushes; their speed shows in `npm run bench`. */
describe("scale", () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await startSimulator();
  });

  afterAll(() => sim.close());

  test("a 5,000-file repository, 50 pushes onto it, and a full tarball", async () => {
    await sim.createRepo({ owner: "octo", name: "big", files: manyFiles(5000) });
    expect((await sim.tree("octo/big")).length).toBe(5000);
    for (let i = 0; i < 50; i++) {
      await sim.push("octo/big", {
        commits: [
          {
            message: `push ${i}`,
            files: {
              [`f/${String(i).padStart(4, "0")}.txt`]: `edit ${i}`,
              [`new/${i}.txt`]: "n",
              [`f/${String(100 + i).padStart(4, "0")}.txt`]: null,
            },
          },
        ],
      });
    }
    const octokit = tokenOctokit(sim, sim.personalAccessToken);
    const tarball = await octokit.rest.repos.downloadTarballArchive({ owner: "octo", repo: "big", ref: "main" });
    expect((tarball.data as ArrayBuffer).byteLength).toBeGreaterThan(10_000);
    const contents = await sim.files("octo/big");
    expect(contents.size).toBe(5000);
    expect(contents.get("f/0007.txt")!.toString()).toBe("edit 7");
    expect(contents.get("new/49.txt")!.toString()).toBe("n");
  }, 120_000);
});
