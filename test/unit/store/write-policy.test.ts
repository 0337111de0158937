import { chooseBatch, currentSha, violated } from "../../../src/store/write-policy.js";

const limits = { maxPaths: 500, maxWrites: 2000, maxBytes: 1000 };
const queued = (entries: Array<[path: string, bytes: number | null]>) =>
  entries.map(([path, bytes], index) => ({ seq: index + 1, path, bytes }));

describe("chooseBatch", () => {
  it("takes the oldest writes within the path limit, keeping a record's later writes with it", () => {
    expect(
      chooseBatch(
        queued([
          ["a", 1],
          ["b", 1],
          ["a", 1],
          ["c", 1],
          ["d", 1],
          ["c", 1],
        ]),
        { ...limits, maxPaths: 2 },
      ),
    ).toEqual([1, 2, 3]);
  });

  it("holds back every later write of a path that did not fit, so a record's writes stay in order", () => {
    expect(
      chooseBatch(
        queued([
          ["big", 600],
          ["other", 600],
          ["other", 1],
          ["small", 1],
        ]),
        limits,
      ),
    ).toEqual([1, 4]);
  });

  it("always takes the first write, however large, and counts deletes as no bytes", () => {
    expect(
      chooseBatch(
        queued([
          ["huge", 5000],
          ["gone", null],
          ["next", 1],
        ]),
        limits,
      ),
    ).toEqual([1]);
    expect(
      chooseBatch(
        queued([
          ["gone", null],
          ["huge", 1000],
        ]),
        limits,
      ),
    ).toEqual([1, 2]);
  });

  it("takes at most maxWrites", () => {
    expect(
      chooseBatch(
        queued([
          ["a", 1],
          ["a", 1],
          ["b", 1],
        ]),
        { ...limits, maxWrites: 2 },
      ),
    ).toEqual([1, 2]);
  });

  it("takes nothing from an empty queue", () => {
    expect(chooseBatch([], limits)).toEqual([]);
  });
});

describe("write preconditions", () => {
  const mirrored = { sha: "m".repeat(40) };

  it("takes the record's state from its newest overlaid write, else from the mirror", () => {
    expect(currentSha(undefined, mirrored)).toBe(mirrored.sha);
    expect(currentSha(undefined, undefined)).toBeNull();
    expect(currentSha({ op: "put", sha: "p".repeat(40) }, mirrored)).toBe("p".repeat(40));
    expect(currentSha({ op: "delete", sha: null }, mirrored)).toBeNull();
  });

  it("names the condition a record's state violates", () => {
    expect(violated({ exists: false }, "x")).toBe("exists");
    expect(violated({ exists: false }, null)).toBeUndefined();
    expect(violated({ exists: true }, null)).toBe("missing");
    expect(violated({ exists: true }, "x")).toBeUndefined();
    expect(violated({ sha: "x" }, "y")).toBe("changed");
    expect(violated({ sha: "x" }, null)).toBe("missing");
    expect(violated({ sha: "x" }, "x")).toBeUndefined();
    expect(violated({}, null)).toBeUndefined();
  });
});
