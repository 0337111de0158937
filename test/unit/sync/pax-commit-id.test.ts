import { paxCommitId } from "../../../src/sync/pax-commit-id.js";

function globalHeader(records: string, typeflag = "g"): Buffer {
  const header = Buffer.alloc(512);
  header.write("pax_global_header", 0, "latin1");
  header.write(`${Buffer.byteLength(records).toString(8).padStart(11, "0")}\0`, 124, "latin1");
  header.write(typeflag, 156, "latin1");
  const data = Buffer.alloc(512);
  data.write(records, "latin1");
  return Buffer.concat([header, data]);
}

describe("paxCommitId", () => {
  const sha = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";

  it("reads the commit id git archive writes into the global header", () => {
    expect(paxCommitId(globalHeader(`52 comment=${sha}\n`))).toBe(sha);
  });

  it("finds the comment among other records", () => {
    expect(paxCommitId(globalHeader(`20 mtime=1700000000\n52 comment=${sha}\n`))).toBe(sha);
  });

  it("is null without a global header, a comment, or a valid commit id", () => {
    expect(paxCommitId(globalHeader(`52 comment=${sha}\n`, "0"))).toBeNull();
    expect(paxCommitId(globalHeader("20 mtime=1700000000\n"))).toBeNull();
    expect(paxCommitId(globalHeader("21 comment=not-a-sha\n"))).toBeNull();
    expect(paxCommitId(globalHeader("99 comment=truncated\n"))).toBeNull();
    expect(paxCommitId(Buffer.alloc(100))).toBeNull();
  });
});
