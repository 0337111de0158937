import { validate } from "@octokit/graphql-schema";
import { BLOBS_PER_QUERY, buildBlobQuery, parseBlobAnswer } from "../../../src/sync/blob-query.js";

const oid = (n: number) => n.toString(16).padStart(40, "a");

describe("buildBlobQuery", () => {
  it("is a valid query against GitHub's GraphQL schema, with and without the head", () => {
    const oids = Array.from({ length: BLOBS_PER_QUERY }, (_, i) => oid(i));
    for (const headBranch of [undefined, "main"]) {
      const { query } = buildBlobQuery("octo", "site", oids, headBranch);
      expect(validate(query)).toEqual([]);
    }
  });

  it("passes owner, name and the qualified branch as variables", () => {
    expect(buildBlobQuery("octo", "site", [oid(1)], "feature/x").variables).toEqual({
      owner: "octo",
      name: "site",
      head: "refs/heads/feature/x",
    });
    expect(buildBlobQuery("octo", "site", [oid(1)]).variables).toEqual({ owner: "octo", name: "site" });
  });

  it("refuses more than 100 blobs and anything that is not an object id", () => {
    expect(() =>
      buildBlobQuery(
        "o",
        "r",
        Array.from({ length: 101 }, (_, i) => oid(i)),
      ),
    ).toThrow(RangeError);
    expect(() => buildBlobQuery("o", "r", ['") { evil }'])).toThrow(/not a git object id/);
  });
});

describe("parseBlobAnswer", () => {
  const oids = [oid(1), oid(2), oid(3), oid(4), oid(5)];
  const data = {
    repository: {
      b0: { oid: oid(1), byteSize: 5, isBinary: false, isTruncated: false, text: "hello" },
      b1: { oid: oid(2), byteSize: 4, isBinary: true, isTruncated: false, text: null },
      b2: { oid: oid(3), byteSize: 2_000_000, isBinary: false, isTruncated: true, text: "partial" },
      b3: {},
      b4: null,
      head: { target: { oid: oid(9) } },
    },
  };

  it("tells text, binary or truncated, non-blobs and missing objects apart", () => {
    const batch = parseBlobAnswer(data, oids, true);
    expect(Object.fromEntries(batch.blobs)).toEqual({
      [oid(1)]: { kind: "blob", byteSize: 5, text: "hello" },
      [oid(2)]: { kind: "blob", byteSize: 4, text: null },
      [oid(3)]: { kind: "blob", byteSize: 2_000_000, text: null },
      [oid(4)]: { kind: "not-blob" },
      [oid(5)]: { kind: "missing" },
    });
    expect(batch.head).toBe(oid(9));
  });

  it("reads a missing branch as a null head, and no head when none was asked", () => {
    expect(parseBlobAnswer({ repository: { head: null } }, [], true).head).toBeNull();
    expect(parseBlobAnswer({ repository: {} }, [], false)).toEqual({ blobs: new Map() });
  });

  it("fails when the repository itself is missing", () => {
    expect(() => parseBlobAnswer({ repository: null }, oids, false)).toThrow(/without the repository/);
  });
});
