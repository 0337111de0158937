import { createMirrorFilter } from "../../../src/config/mirror-filter.js";
import { planFromTree, type TreeEntry } from "../../../src/sync/plan-from-tree.js";

const sha = (n: number) => n.toString(16).padStart(40, "0");

describe("planFromTree", () => {
  const index = new Map([
    ["a.md", sha(1)],
    ["b.md", sha(2)],
    ["big.bin", sha(3)],
  ]);
  const tree: TreeEntry[] = [
    { path: "a.md", type: "blob", sha: sha(1), size: 1 },
    { path: "b.md", type: "blob", sha: sha(22), size: 2 },
    { path: "dir", type: "tree", sha: sha(30) },
    { path: "dir/new.md", type: "blob", sha: sha(31), size: 3 },
    { path: "big.bin", type: "blob", sha: sha(3), size: 500 },
    { path: "vendor/lib", type: "commit", sha: sha(40) },
    { path: "notes.tmp", type: "blob", sha: sha(50), size: 1 },
  ];

  it("wants what differs by sha, deletes what the tree (as filtered) no longer has", () => {
    const filter = createMirrorFilter({ include: ["**"], exclude: ["*.tmp"], maxFileBytes: 100 });
    const plan = planFromTree(tree, index, filter);
    expect(plan.wanted).toEqual([
      { path: "b.md", sha: sha(22) },
      { path: "dir/new.md", sha: sha(31) },
    ]);
    expect(plan.deletes).toEqual(["big.bin"]);
    expect([...plan.touched].sort()).toEqual(["b.md", "big.bin", "dir/new.md"]);
  });

  it("is empty when the mirror already equals the tree", () => {
    const same = planFromTree(
      [{ path: "a.md", type: "blob", sha: sha(1) }],
      new Map([["a.md", sha(1)]]),
      createMirrorFilter({ include: ["**"], exclude: [], maxFileBytes: 1 }),
    );
    expect(same).toEqual({ wanted: [], deletes: [], touched: new Set() });
  });
});
