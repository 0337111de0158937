import { createMirrorFilter } from "../../../src/config/mirror-filter.js";
import { type CompareFile, planFromCompare } from "../../../src/sync/plan-from-compare.js";

const sha = (n: number) => n.toString(16).padStart(40, "0");
const all = createMirrorFilter({ include: ["**"], exclude: [], maxFileBytes: 100 });
const index = new Map([
  ["a.md", sha(1)],
  ["b.md", sha(2)],
  ["c.md", sha(3)],
  ["same.md", sha(4)],
]);

describe("planFromCompare", () => {
  it("turns added/modified/removed/renamed entries into wanted blobs and deletes", () => {
    const files: CompareFile[] = [
      { filename: "new.md", status: "added", sha: sha(10) },
      { filename: "a.md", status: "modified", sha: sha(11) },
      { filename: "b.md", status: "removed", sha: null },
      { filename: "moved/c.md", status: "renamed", sha: sha(3), previous_filename: "c.md" },
      { filename: "same.md", status: "changed", sha: sha(4) },
    ];
    const plan = planFromCompare(files, index, all);
    expect(plan.wanted).toEqual([
      { path: "new.md", sha: sha(10) },
      { path: "a.md", sha: sha(11) },
      { path: "moved/c.md", sha: sha(3) },
    ]);
    expect(plan.deletes.sort()).toEqual(["b.md", "c.md"]);
    expect([...plan.touched].sort()).toEqual(["a.md", "b.md", "c.md", "moved/c.md", "new.md", "same.md"]);
  });

  it("keeps a path that one entry removes and another puts back (a swap of two renames)", () => {
    const files: CompareFile[] = [
      { filename: "b.md", status: "renamed", sha: sha(1), previous_filename: "a.md" },
      { filename: "a.md", status: "renamed", sha: sha(2), previous_filename: "b.md" },
    ];
    const plan = planFromCompare(files, index, all);
    expect(plan.wanted).toEqual([
      { path: "a.md", sha: sha(2) },
      { path: "b.md", sha: sha(1) },
    ]);
    expect(plan.deletes).toEqual([]);
  });

  it("deletes files the filter no longer keeps, ignores removals of files never mirrored", () => {
    const docsOnly = createMirrorFilter({ include: ["docs/**"], exclude: [], maxFileBytes: 100 });
    const plan = planFromCompare(
      [
        { filename: "a.md", status: "modified", sha: sha(20) },
        { filename: "docs/x.md", status: "added", sha: sha(21) },
        { filename: "never.md", status: "removed" },
      ],
      index,
      docsOnly,
    );
    expect(plan.wanted).toEqual([{ path: "docs/x.md", sha: sha(21) }]);
    expect(plan.deletes).toEqual(["a.md"]);
  });
});
