import { createSign, generateKeyPairSync } from "node:crypto";
import { verifyAppJwt } from "../auth/app-jwt.js";
import { buildFastImportStream, quotePath } from "../git/fast-import-stream.js";
import { parseCommit, splitMessage } from "../git/parse-commit.js";
import { parseDiffTreeNameStatus, parseLsTree, parseNumstat, parseRawDiff } from "../git/parse-git-output.js";
import { connection } from "../graphql/connection.js";
import { FaultInjector } from "../http/fault-injector.js";
import { pageWindow } from "../http/sim-http.js";
import { OpenApiCatalog } from "../openapi/openapi-catalog.js";
import { KeyedMutex } from "../state/keyed-mutex.js";
import { nodeId, parseNodeId } from "../state/node-id.js";
import { identityTimestamp } from "../webhooks/payloads.js";

const A = "a".repeat(40);
const B = "b".repeat(40);

describe("git output parsers", () => {
  test("raw diff with a rename, an addition and a deletion", () => {
    const raw = Buffer.from(
      [
        `:100644 100644 ${A} ${A} R100`,
        "old/name.txt",
        "new/name.txt",
        `:000000 100644 ${"0".repeat(40)} ${B} A`,
        "added file.txt",
        `:100644 000000 ${A} ${"0".repeat(40)} D`,
        "gone.txt",
        "",
      ].join("\0"),
    );
    expect(parseRawDiff(raw).map((entry) => [entry.status, entry.path, entry.previousPath])).toEqual([
      ["R", "new/name.txt", "old/name.txt"],
      ["A", "added file.txt", undefined],
      ["D", "gone.txt", undefined],
    ]);
  });

  test("numstat keys renames by their new path and counts binary files as zero", () => {
    const output = Buffer.from(["3\t1\tplain.txt", "0\t0\t", "old.txt", "new.txt", "-\t-\timage.png", ""].join("\0"));
    expect(Object.fromEntries(parseNumstat(output))).toEqual({
      "plain.txt": { additions: 3, deletions: 1 },
      "new.txt": { additions: 0, deletions: 0 },
      "image.png": { additions: 0, deletions: 0 },
    });
  });

  test("ls-tree with sizes, folders and submodules", () => {
    const output = Buffer.from(
      [`100644 blob ${A}      12\tdir/a b.txt`, `040000 tree ${B}       -\tdir`, `160000 commit ${A}       -\tvendor/lib`, ""].join("\0"),
    );
    expect(parseLsTree(output)).toEqual([
      { mode: "100644", type: "blob", oid: A, size: 12, path: "dir/a b.txt" },
      { mode: "040000", type: "tree", oid: B, path: "dir" },
      { mode: "160000", type: "commit", oid: A, path: "vendor/lib" },
    ]);
  });

  test("diff-tree --stdin: per-commit added/removed/modified, even for a path that looks like an id", () => {
    const output = Buffer.from([A, "M", "x.txt", "A", B, B, "D", "y.txt", ""].join("\0"));
    expect(Object.fromEntries(parseDiffTreeNameStatus(output))).toEqual({
      [A]: { added: [B], removed: [], modified: ["x.txt"] },
      [B]: { added: [], removed: ["y.txt"], modified: [] },
    });
  });

  test("commit objects and GitHub's headline/body split", () => {
    const raw = Buffer.from(
      `tree ${A}\nparent ${B}\nauthor Ada <ada@x> 1700000000 +0200\ncommitter GitHub <noreply@github.com> 1700000001 -0130\ngpgsig -----BEGIN\n line\n -----END\n\nHeadline\n\nBody line\n`,
    );
    const commit = parseCommit(B, raw);
    expect(commit).toMatchObject({
      tree: A,
      parents: [B],
      author: { name: "Ada", email: "ada@x", timestamp: 1700000000, timezone: "+0200" },
    });
    expect(splitMessage(commit.message)).toEqual({ headline: "Headline", body: "Body line" });
    expect(identityTimestamp(commit.author)).toBe("2023-11-15T00:13:20+02:00");
    expect(identityTimestamp(commit.committer)).toBe("2023-11-14T20:43:21-01:30");
  });
});

describe("fast-import input", () => {
  test("paths are C-quoted so any name survives", () => {
    expect(quotePath('a "quoted"\\name\n.txt')).toBe('"a \\"quoted\\"\\\\name\\n.txt"');
    expect(quotePath("é.txt")).toBe('"\\303\\251.txt"');
  });

  test("a chain of commits: the first on its parent, every one reporting its mark", () => {
    const identity = { name: "A", email: "a@x", timestamp: 1, timezone: "+0000" };
    const stream = buildFastImportStream("refs/sim/import", B, [
      { author: identity, committer: identity, message: "one", changes: [{ kind: "write", path: "x", content: Buffer.from("hi") }] },
      {
        author: identity,
        committer: identity,
        message: "two",
        changes: [
          { kind: "delete", path: "x" },
          { kind: "rename", from: "y", to: "z" },
        ],
      },
    ]).toString();
    expect(stream.match(/^from /gm)).toHaveLength(1);
    expect(stream).toContain(`from ${B}\nM 100644 inline "x"\ndata 2\nhi\n`);
    expect(stream).toContain('D "x"\nR "y" "z"\n');
    expect(stream.match(/^get-mark :\d+$/gm)).toEqual(["get-mark :1", "get-mark :2"]);
    expect(stream.endsWith("done\n")).toBe(true);
  });
});

describe("app JWT verification", () => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const app = { id: 7, clientId: "Iv1.abc", publicKey };
  const sign = (claims: object, header: object = { alg: "RS256", typ: "JWT" }) => {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const unsigned = `${part(header)}.${part(claims)}`;
    return `${unsigned}.${createSign("RSA-SHA256").update(unsigned).sign(privateKey).toString("base64url")}`;
  };

  test("accepts Octokit's shape (iat 30 s back, 10 min life) with the id or the client id as issuer", () => {
    expect(verifyAppJwt(sign({ iat: 970, exp: 1570, iss: 7 }), app, 1000)).toEqual({ ok: true });
    expect(verifyAppJwt(sign({ iat: 970, exp: 1570, iss: "Iv1.abc" }), app, 1000)).toEqual({ ok: true });
  });

  test("refuses other algorithms, bad signatures and times", () => {
    expect(verifyAppJwt(sign({ iat: 970, exp: 1570, iss: 7 }, { alg: "none" }), app, 1000).ok).toBe(false);
    expect(verifyAppJwt(`${sign({ iat: 970, exp: 1570, iss: 7 }).slice(0, -4)}AAAA`, app, 1000).ok).toBe(false);
    expect(verifyAppJwt(sign({ iat: 970, exp: 999, iss: 7 }), app, 1000)).toMatchObject({ message: expect.stringContaining("'exp'") });
    expect(verifyAppJwt(sign({ iat: 1100, exp: 1500, iss: 7 }), app, 1000)).toMatchObject({ message: expect.stringContaining("'iat'") });
  });
});

describe("OpenAPI path matching", () => {
  const catalog = OpenApiCatalog.load();

  test("templates, encoded and slashed parameters, unknown paths", () => {
    expect(catalog.match("GET", "/repos/o/r/contents/.github%2Fgitdisk.yml")).toMatchObject({
      key: "GET /repos/{owner}/{repo}/contents/{path}",
      params: { path: ".github/gitdisk.yml" },
    });
    expect(catalog.match("GET", "/repos/o/r/git/ref/heads/feature/x")).toMatchObject({ params: { ref: "heads/feature/x" } });
    expect(catalog.match("GET", "/repos/o/r/compare/a...b")?.key).toBe("GET /repos/{owner}/{repo}/compare/{basehead}");
    expect(catalog.match("GET", "/repos/o/r/commits/abc/branches-where-head")?.key).toBe(
      "GET /repos/{owner}/{repo}/commits/{commit_sha}/branches-where-head",
    );
    expect(catalog.match("GET", "/repos/o/r/contents")).toMatchObject({ params: { path: "" } });
    expect(catalog.match("GET", "/repos/o/r/nothing")).toBeNull();
    expect(catalog.match("PUT", "/repos/o/r/git/blobs")).toBeNull();
  });
});

describe("small helpers", () => {
  test("faults match globs and run out", () => {
    const faults = new FaultInjector();
    faults.add({ endpoint: "GET /repos/*", kind: "error", status: 503, times: 2 });
    faults.add({ endpoint: "graphql:*", kind: "latency", ms: 5 });
    expect(faults.take("POST /repos/{owner}/{repo}/git/refs")).toEqual({ latencyMs: 0 });
    expect(faults.take("GET /repos/{owner}/{repo}")).toEqual({ latencyMs: 0, fault: { kind: "error", status: 503 } });
    expect(faults.take("graphql:repository")).toEqual({ latencyMs: 5 });
    expect(faults.take("GET /repos/{owner}/{repo}")).toMatchObject({ fault: { status: 503 } });
    expect(faults.take("GET /repos/{owner}/{repo}")).toEqual({ latencyMs: 0 });
    expect(faults.pending()).toEqual([]);
  });

  test("pagination links", () => {
    const window = pageWindow(95, new URLSearchParams("per_page=30&page=2"), new URL("http://h/api/v3/x?per_page=30&page=2"));
    expect(window).toMatchObject({ perPage: 30, page: 2 });
    expect(window.headers.link).toBe(
      '<http://h/api/v3/x?per_page=30&page=1>; rel="prev", <http://h/api/v3/x?per_page=30&page=1>; rel="first", <http://h/api/v3/x?per_page=30&page=3>; rel="next", <http://h/api/v3/x?per_page=30&page=4>; rel="last"',
    );
    expect(pageWindow(10, new URLSearchParams(), new URL("http://h/x")).headers).toEqual({});
  });

  test("GraphQL connections page with opaque cursors", async () => {
    const items = ["a", "b", "c", "d", "e"];
    const load = async (offset: number, limit: number) => items.slice(offset, offset + limit);
    const first = await connection(items.length, { first: 2 }, load);
    expect(first).toMatchObject({ totalCount: 5, nodes: ["a", "b"], pageInfo: { hasNextPage: true, hasPreviousPage: false } });
    const next = await connection(items.length, { first: 2, after: first.pageInfo.endCursor! }, load);
    expect(next.nodes).toEqual(["c", "d"]);
  });

  test("node ids round-trip", () => {
    expect(nodeId("Repository", 186853002)).toBe("MDEwOlJlcG9zaXRvcnkxODY4NTMwMDI=");
    expect(parseNodeId(nodeId("Ref", "5:refs/heads/main"))).toEqual({ type: "Ref", id: "5:refs/heads/main" });
    expect(parseNodeId("garbage")).toBeNull();
  });

  test("the keyed mutex runs one key's work in order, even after a failure", async () => {
    const mutex = new KeyedMutex();
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = mutex.run("r", async () => {
      await gate;
      order.push("first");
      throw new Error("boom");
    });
    const second = mutex.run("r", async () => order.push("second"));
    const other = mutex.run("s", async () => order.push("other"));
    await other;
    release();
    await expect(first).rejects.toThrow("boom");
    await second;
    expect(order).toEqual(["other", "first", "second"]);
  });
});
