import { type Simulator, startSimulator } from "../start-simulator.js";
import { type TestOctokit, tokenOctokit } from "./helpers/sim-test-kit.js";

describe("GraphQL against GitHub's schema", () => {
  let sim: Simulator;
  let octokit: TestOctokit;
  const big = "x".repeat(2000);
  const binary = Buffer.from([0x47, 0x49, 0x46, 0x00, 0x01, 0x02]);

  beforeAll(async () => {
    sim = await startSimulator({ blobTextLimit: 1000 });
    await sim.createRepo({
      owner: "octo",
      name: "site",
      files: {
        "docs/readme.md": "# hi\n",
        "docs/big.txt": big,
        "img/logo.gif": binary,
        "run.sh": { content: "#!/bin/sh\n", mode: "100755" },
      },
    });
    await sim.push("octo/site", { commits: [{ message: "second\n\nwith a body", files: { "docs/readme.md": "# hello\n" } }] });
    octokit = tokenOctokit(sim, sim.personalAccessToken);
  });

  afterAll(() => sim.close());

  test("blobs by expression: text, truncation above the limit, binary", async () => {
    const result = await octokit.graphql<{
      repository: Record<string, { text: string | null; isBinary: boolean; isTruncated: boolean; byteSize: number }>;
    }>(`{
      repository(owner: "octo", name: "site") {
        readme: object(expression: "main:docs/readme.md") { ... on Blob { text isBinary isTruncated byteSize } }
        big: object(expression: "main:docs/big.txt") { ... on Blob { text isBinary isTruncated byteSize } }
        logo: object(expression: "HEAD:img/logo.gif") { ... on Blob { text isBinary isTruncated byteSize } }
        missing: object(expression: "main:nope.txt") { ... on Blob { text } }
      }
    }`);
    expect(result.repository.readme).toEqual({ text: "# hello\n", isBinary: false, isTruncated: false, byteSize: 8 });
    expect(result.repository.big).toEqual({ text: big.slice(0, 1000), isBinary: false, isTruncated: true, byteSize: 2000 });
    expect(result.repository.logo).toEqual({ text: null, isBinary: true, isTruncated: false, byteSize: binary.length });
    expect(result.repository.missing).toBeNull();
  });

  test("trees, refs and commit history", async () => {
    const result = await octokit.graphql<{
      repository: {
        defaultBranchRef: {
          name: string;
          target: {
            oid: string;
            messageHeadline: string;
            messageBody: string;
            history: { totalCount: number; nodes: Array<{ oid: string }>; pageInfo: { hasNextPage: boolean } };
          };
        };
        ref: { name: string; prefix: string } | null;
        missingRef: null;
        docs: { entries: Array<{ name: string; path: string; type: string; mode: number; oid: string }> };
        root: { entries: Array<{ name: string; type: string; mode: number }> };
      };
    }>(`{
      repository(owner: "octo", name: "site") {
        defaultBranchRef { name target { oid ... on Commit { messageHeadline messageBody history(first: 1) { totalCount nodes { oid } pageInfo { hasNextPage } } } } }
        ref(qualifiedName: "refs/heads/main") { name prefix }
        missingRef: ref(qualifiedName: "refs/heads/nope") { name }
        docs: object(expression: "main:docs") { ... on Tree { entries { name path type mode oid } } }
        root: object(expression: "main:") { ... on Tree { entries { name type mode } } }
      }
    }`);
    const repo = result.repository;
    expect(repo.defaultBranchRef).toMatchObject({
      name: "main",
      target: { oid: sim.head("octo/site"), messageHeadline: "second", messageBody: "with a body" },
    });
    expect(repo.defaultBranchRef.target.history).toEqual({
      totalCount: 2,
      nodes: [{ oid: sim.head("octo/site") }],
      pageInfo: { hasNextPage: true },
    });
    expect(repo.ref).toEqual({ name: "main", prefix: "refs/heads/" });
    expect(repo.missingRef).toBeNull();
    expect(repo.docs.entries.map((entry) => [entry.name, entry.path, entry.type])).toEqual([
      ["big.txt", "docs/big.txt", "blob"],
      ["readme.md", "docs/readme.md", "blob"],
    ]);
    expect(repo.root.entries).toContainEqual({ name: "run.sh", type: "blob", mode: 0o100755 });
    expect(repo.root.entries).toContainEqual({ name: "docs", type: "tree", mode: 0o040000 });
  });

  test("a query GitHub would reject is rejected with GitHub's error shape", async () => {
    const response = await fetch(sim.graphqlUrl, {
      method: "POST",
      headers: { authorization: `bearer ${sim.personalAccessToken}` },
      body: JSON.stringify({ query: `{ repository(owner: "octo", name: "site") { object(oid: "abc") { ... on Blob { nonsense } } } }` }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      errors: [
        expect.objectContaining({
          message: "Field 'nonsense' doesn't exist on type 'Blob'",
          extensions: { code: "undefinedField", typeName: "Blob", fieldName: "nonsense" },
        }),
      ],
    });
    await expect(octokit.graphql(`{ repository(owner: "octo") { name } }`)).rejects.toMatchObject({
      errors: [expect.objectContaining({ message: expect.stringContaining("name") })],
    });
    await expect(octokit.graphql(`{ repository(owner: "octo", name: "site") { name `)).rejects.toMatchObject({
      errors: [expect.objectContaining({ message: expect.stringContaining("Syntax Error") })],
    });
  });

  test("a field of GitHub's schema the simulator has no model for fails loudly", async () => {
    await expect(octokit.graphql(`{ repository(owner: "octo", name: "site") { stargazerCount } }`)).rejects.toMatchObject({
      errors: [expect.objectContaining({ message: "The GitHub simulator does not implement Repository.stargazerCount" })],
    });
  });

  test("createCommitOnBranch: additions and deletions, a missing deletion, a missing branch", async () => {
    const mutation = `mutation($input: CreateCommitOnBranchInput!) { createCommitOnBranch(input: $input) { commit { oid message } ref { name } } }`;
    const head = sim.head("octo/site")!;
    const result = await octokit
      .graphql<{ createCommitOnBranch: { commit: { oid: string; message: string }; ref: { name: string } } }>(mutation, {
        input: {
          branch: { repositoryNameWithOwner: "octo/site", branchName: "main" },
          expectedHeadOid: head,
          message: { headline: "write" },
          fileChanges: {
            additions: [{ path: "img/new.bin", contents: Buffer.from([0, 1, 2, 3]).toString("base64") }],
            deletions: [{ path: "docs" }, { path: "run.sh" }],
          },
        },
      })
      .catch((error: unknown) => error);
    expect(result).toMatchObject({
      errors: [expect.objectContaining({ message: expect.stringContaining("A path was requested for deletion which does not exist") })],
    });
    const ok = await octokit.graphql<{ createCommitOnBranch: { commit: { oid: string; message: string }; ref: { name: string } } }>(
      mutation,
      {
        input: {
          branch: { repositoryNameWithOwner: "octo/site", branchName: "main" },
          expectedHeadOid: head,
          message: { headline: "write" },
          fileChanges: {
            additions: [{ path: "img/new.bin", contents: Buffer.from([0, 1, 2, 3]).toString("base64") }],
            deletions: [{ path: "run.sh" }],
          },
        },
      },
    );
    expect(ok.createCommitOnBranch).toMatchObject({ commit: { message: "write" }, ref: { name: "main" } });
    expect(await sim.readFile("octo/site", "img/new.bin")).toEqual(Buffer.from([0, 1, 2, 3]));
    expect(await sim.readFile("octo/site", "run.sh")).toBeNull();
    await expect(
      octokit.graphql(mutation, {
        input: { branch: { repositoryNameWithOwner: "octo/site", branchName: "nope" }, expectedHeadOid: head, message: { headline: "x" } },
      }),
    ).rejects.toMatchObject({ errors: [expect.objectContaining({ type: "NOT_FOUND" })] });
    expect(sim.violations()).toEqual([]);
  });
});
