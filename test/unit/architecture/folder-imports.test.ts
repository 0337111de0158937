import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describeCycle, findCycle, folderEdges, type SourceImports, unitOf } from "./folder-graph.js";

const SRC = fileURLToPath(new URL("../../../src/", import.meta.url));

function sourceImports(): SourceImports[] {
  return readdirSync(SRC, { recursive: true, encoding: "utf8" })
    .filter((path) => path.endsWith(".ts"))
    .map((path) => ({
      path: path.split("\\").join("/"),
      // Type-only imports and re-exports count too: a type shared both ways ties the folders as much as code does.
      specifiers: ts.preProcessFile(readFileSync(`${SRC}${path}`, "utf8"), true, true).importedFiles.map((file) => file.fileName),
    }));
}

describe("imports between the top-level folders of src/", () => {
  it("form layers: no two folders import each other, directly or round a cycle", () => {
    const cycle = findCycle(folderEdges(sourceImports()));
    expect(cycle && describeCycle(cycle)).toBeNull();
  });
});

describe("the data API's routes", () => {
  it("import no other route's file: what two routes share lives beside the router", () => {
    const crossings = sourceImports()
      .filter(({ path }) => path.startsWith("api/routes/"))
      .flatMap(({ path, specifiers }) =>
        specifiers.filter((specifier) => specifier.startsWith("./")).map((specifier) => `${path} imports ${specifier}`),
      );
    expect(crossings).toEqual([]);
  });
});

describe("the folder graph", () => {
  const file = (path: string, ...specifiers: string[]): SourceImports => ({ path, specifiers });

  it("judges a folder as one unit and a file at src/'s root by itself", () => {
    expect(unitOf("sync/on-push.ts")).toBe("sync/");
    expect(unitOf("store/sqlite/open-database.ts")).toBe("store/");
    expect(unitOf("app.js")).toBe("app.ts");
  });

  it("keeps imports between units, once each, and leaves out packages and imports within a unit", () => {
    const edges = folderEdges([
      file("sync/on-push.ts", "probot", "./own-commit.js", "../git/commit-trailers.js", "../git/blob-sha.js", "../errors.js"),
      file("store/sqlite/sqlite-mirror-store.ts", "../store.js", "../../config/repo-config.js"),
    ]);
    expect(edges.map(({ from, to }) => `${from} ${to}`)).toEqual(["sync/ git/", "sync/ errors.ts", "store/ config/"]);
    expect(edges[0]!.example).toBe("sync/on-push.ts imports git/commit-trailers.js");
  });

  it("finds two folders importing each other and names the imports", () => {
    const cycle = findCycle(
      folderEdges([
        file("sync/own-commit.ts", "../writeback/commit-message.js"),
        file("writeback/repo-flusher.ts", "../sync/mirror-filter.js"),
      ]),
    );
    expect(cycle && describeCycle(cycle)).toBe(
      [
        "sync/ → writeback/ → sync/",
        "  sync/own-commit.ts imports writeback/commit-message.js",
        "  writeback/repo-flusher.ts imports sync/mirror-filter.js",
      ].join("\n"),
    );
  });

  it("finds a cycle through several folders, and none in layers", () => {
    const layered = [file("config/a.ts", "../records/b.js"), file("store/c.ts", "../config/d.js"), file("app.ts", "./store/e.js")];
    expect(findCycle(folderEdges(layered))).toBeNull();
    const cycle = findCycle(folderEdges([...layered, file("records/f.ts", "../store/g.js")]));
    expect(cycle?.map((edge) => edge.from)).toEqual(["store/", "config/", "records/"]);
  });
});
