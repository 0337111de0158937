import { gitBlobSha } from "../../../src/git/blob-sha.js";
import { collapseWrites, isEmptyChange } from "../../../src/writeback/collapse-writes.js";
import { writeRecord } from "../../helpers/write-fixtures.js";

describe("collapseWrites", () => {
  it("keeps the last accepted write per path, whatever order the batch lists them in", () => {
    const first = writeRecord("data/a.json", "1");
    const second = writeRecord("data/a.json", "2");
    const other = writeRecord("data/b.json", "b");
    const removed = writeRecord("data/c.json", "c");
    const removal = writeRecord("data/c.json", null);
    const changes = collapseWrites([second, removal, other, first, removed]);
    expect(changes.additions.map(({ path, content, sha }) => ({ path, text: content.toString(), sha }))).toEqual([
      { path: "data/a.json", text: "2", sha: gitBlobSha(Buffer.from("2")) },
      { path: "data/b.json", text: "b", sha: gitBlobSha(Buffer.from("b")) },
    ]);
    expect(changes.deletions).toEqual(["data/c.json"]);
  });

  it("turns a delete followed by a put back into a put", () => {
    const changes = collapseWrites([writeRecord("x.json", null), writeRecord("x.json", "again")]);
    expect(changes.deletions).toEqual([]);
    expect(changes.additions.map((a) => a.path)).toEqual(["x.json"]);
    expect(isEmptyChange(changes)).toBe(false);
    expect(isEmptyChange(collapseWrites([]))).toBe(true);
  });
});
