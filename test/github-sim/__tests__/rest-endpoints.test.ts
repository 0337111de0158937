import { type Simulator, startSimulator } from "../start-simulator.js";
import { manyFiles, type TestOctokit, tokenOctokit } from "./helpers/sim-test-kit.js";

describe("REST endpoints, shaped and capped like GitHub's", () => {
  let sim: Simulator;
  let octokit: TestOctokit;
  const repo = { owner: "octo", repo: "data" };

  beforeAll(async () => {
    sim = await startSimulator();
    await sim.createRepo({ owner: "octo", name: "data", files: manyFiles(400) });
    octokit = tokenOctokit(sim, sim.personalAccessToken);
  });

  afterAll(() => sim.close());

  afterEach(() => {
    const violations = sim.violations();
    sim.clearViolations();
    expect(violations).toEqual([]);
  });

  test("compare lists at most 300 files and 250 commits, with the true totals", async () => {
    const base = sim.head("octo/data")!;
    const edits: Record<string, string> = {};
    for (let i = 0; i < 350; i++) edits[`f/${String(i).padStart(4, "0")}.txt`] = `edited ${i}\n`;
    const commits = [
      { message: "edit 350 files", files: edits },
      ...Array.from({ length: 259 }, (_, i) => ({ message: `small ${i}`, files: { [`small/${i}.txt`]: `${i}` } })),
    ];
    const pushed = await sim.push("octo/data", { commits });
    const comparison = await octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: `${base}...${pushed.after}` });
    expect(comparison.data).toMatchObject({ status: "ahead", ahead_by: 260, total_commits: 260 });
    expect(comparison.data.commits).toHaveLength(250);
    expect(comparison.data.commits[0]!.sha).toBe(pushed.commits[0]);
    expect(comparison.data.files).toHaveLength(300);
    const page2 = await octokit.rest.repos.compareCommitsWithBasehead({
      ...repo,
      basehead: `${base}...${pushed.after}`,
      per_page: 100,
      page: 3,
    });
    expect(page2.data.commits.map((commit) => commit.sha)).toEqual(pushed.commits.slice(200, 260));
    expect(page2.data.files).toEqual([]);
  });

  test("compare statuses: identical, behind, diverged; 404 for unknown refs and unrelated histories", async () => {
    const head = sim.head("octo/data")!;
    const parent = (await octokit.rest.git.getCommit({ ...repo, commit_sha: head })).data.parents[0]!.sha;
    const status = async (basehead: string) => (await octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead })).data;
    expect(await status(`${head}...${head}`)).toMatchObject({ status: "identical", ahead_by: 0, behind_by: 0, files: [] });
    expect(await status(`${head}...${parent}`)).toMatchObject({ status: "behind", ahead_by: 0, behind_by: 1 });
    const side = await sim.push("octo/data", { branch: "side", parent, commits: [{ files: { "side.txt": "s" } }] });
    expect(side.before).toBeNull();
    expect(await status(`main...side`)).toMatchObject({
      status: "diverged",
      ahead_by: 1,
      behind_by: 1,
      merge_base_commit: { sha: parent },
    });
    await expect(status(`main...${"0".repeat(40)}`)).rejects.toMatchObject({ status: 404 });
    await expect(status(`main...no-such-branch`)).rejects.toMatchObject({ status: 404 });
    const orphan = await sim.push("octo/data", { branch: "orphan", parent: null, commits: [{ files: { "new-root.txt": "r" } }] });
    await expect(status(`main...${orphan.after}`)).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining("No common ancestor"),
    });
  });

  test("force pushes: back to an older commit, then onto an unrelated history", async () => {
    const before = sim.head("octo/data")!;
    const older = (await octokit.rest.git.getCommit({ ...repo, commit_sha: before })).data.parents[0]!.sha;
    const back = await sim.setBranch("octo/data", "main", older);
    expect(back).toMatchObject({ before, after: older, forced: true, commits: [] });
    const unrelated = await sim.push("octo/data", { parent: null, commits: [{ message: "new world", files: { "only.txt": "1" } }] });
    expect(unrelated).toMatchObject({ before: older, forced: true, commits: [unrelated.after] });
    expect((await sim.tree("octo/data")).map((file) => file.path)).toEqual(["only.txt"]);
    await sim.setBranch("octo/data", "main", before);
    expect(sim.head("octo/data")).toBe(before);
  });

  test("git refs: create, fast-forward only unless forced, delete; the default branch cannot be deleted", async () => {
    const head = sim.head("octo/data")!;
    const parent = (await octokit.rest.git.getCommit({ ...repo, commit_sha: head })).data.parents[0]!.sha;
    const created = await octokit.rest.git.createRef({ ...repo, ref: "refs/heads/feature/x", sha: parent });
    expect(created.status).toBe(201);
    await expect(octokit.rest.git.createRef({ ...repo, ref: "refs/heads/feature/x", sha: parent })).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining("Reference already exists"),
    });
    await octokit.rest.git.updateRef({ ...repo, ref: "heads/feature/x", sha: head });
    await expect(octokit.rest.git.updateRef({ ...repo, ref: "heads/feature/x", sha: parent })).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining("Update is not a fast forward"),
    });
    await octokit.rest.git.updateRef({ ...repo, ref: "heads/feature/x", sha: parent, force: true });
    const matching = await octokit.rest.git.listMatchingRefs({ ...repo, ref: "heads/feature" });
    expect(matching.data.map((ref) => [ref.ref, ref.object.sha])).toEqual([["refs/heads/feature/x", parent]]);
    await octokit.rest.git.deleteRef({ ...repo, ref: "heads/feature/x" });
    await expect(octokit.rest.git.getRef({ ...repo, ref: "heads/feature/x" })).rejects.toMatchObject({ status: 404 });
    await expect(octokit.rest.git.deleteRef({ ...repo, ref: "heads/main" })).rejects.toMatchObject({ status: 422 });
    await expect(octokit.rest.git.updateRef({ ...repo, ref: "heads/main", sha: "f".repeat(40) })).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining("Object does not exist"),
    });
  });

  test("contents: read a file and a folder, create, update with the right sha, 409 with a stale one, delete", async () => {
    const file = await octokit.rest.repos.getContent({ ...repo, path: "f/0399.txt" });
    expect(file.data).toMatchObject({ type: "file", encoding: "base64", path: "f/0399.txt", size: 9 });
    const raw = await octokit.rest.repos.getContent({ ...repo, path: "f/0399.txt", mediaType: { format: "raw" } });
    expect(String(raw.data)).toBe("file 399\n");
    const folder = await octokit.rest.repos.getContent({ ...repo, path: "f" });
    expect(Array.isArray(folder.data) && folder.data.length).toBe(400);
    const root = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", { ...repo, path: "" });
    expect((root.data as Array<{ name: string; type: string }>).map((entry) => [entry.name, entry.type])).toContainEqual(["f", "dir"]);
    const created = await octokit.rest.repos.createOrUpdateFileContents({
      ...repo,
      path: "notes/a.md",
      message: "add",
      content: Buffer.from("one").toString("base64"),
    });
    expect(created.status).toBe(201);
    const sha = created.data.content!.sha!;
    await expect(
      octokit.rest.repos.createOrUpdateFileContents({
        ...repo,
        path: "notes/a.md",
        message: "no sha",
        content: Buffer.from("two").toString("base64"),
      }),
    ).rejects.toMatchObject({ status: 422 });
    const updated = await octokit.rest.repos.createOrUpdateFileContents({
      ...repo,
      path: "notes/a.md",
      message: "edit",
      content: Buffer.from("two").toString("base64"),
      sha,
    });
    expect(updated.status).toBe(200);
    await expect(
      octokit.rest.repos.createOrUpdateFileContents({
        ...repo,
        path: "notes/a.md",
        message: "stale",
        content: Buffer.from("three").toString("base64"),
        sha,
      }),
    ).rejects.toMatchObject({ status: 409 });
    await expect(octokit.rest.repos.deleteFile({ ...repo, path: "notes/a.md", message: "stale delete", sha })).rejects.toMatchObject({
      status: 409,
    });
    await octokit.rest.repos.deleteFile({ ...repo, path: "notes/a.md", message: "delete", sha: updated.data.content!.sha! });
    await expect(octokit.rest.repos.getContent({ ...repo, path: "notes/a.md" })).rejects.toMatchObject({ status: 404 });
    await expect(octokit.rest.repos.getContent({ ...repo, path: "f/0000.txt", ref: "nope" })).rejects.toMatchObject({ status: 404 });
  });

  test("commits: one with its files and stats, a paginated list, a filter by path", async () => {
    const pushed = await sim.push("octo/data", { commits: [{ message: "two files", files: { "x/1.txt": "a\nb\n", "x/2.txt": "c\n" } }] });
    const commit = await octokit.rest.repos.getCommit({ ...repo, ref: pushed.after! });
    expect(commit.data.stats).toEqual({ total: 3, additions: 3, deletions: 0 });
    expect(commit.data.files!.map((file) => file.filename)).toEqual(["x/1.txt", "x/2.txt"]);
    const list = await octokit.rest.repos.listCommits({ ...repo, per_page: 2 });
    expect(list.data.map((item) => item.sha)[0]).toBe(pushed.after);
    expect(list.headers.link).toContain('rel="next"');
    const byPath = await octokit.rest.repos.listCommits({ ...repo, path: "x/2.txt" });
    expect(byPath.data.map((item) => item.sha)).toEqual([pushed.after]);
    await expect(octokit.rest.repos.getCommit({ ...repo, ref: "no-such-ref" })).rejects.toMatchObject({ status: 422 });
  });

  test("branches, trees by branch name, and the zipball", async () => {
    const branches = await octokit.rest.repos.listBranches({ ...repo });
    expect(branches.data.map((branch) => branch.name)).toContain("main");
    const main = await octokit.rest.repos.getBranch({ ...repo, branch: "main" });
    expect(main.data.commit.sha).toBe(sim.head("octo/data"));
    const tree = await octokit.rest.git.getTree({ ...repo, tree_sha: "main" });
    expect(tree.data.tree.map((entry) => [entry.path, entry.type])).toContainEqual(["f", "tree"]);
    const zip = await octokit.rest.repos.downloadZipballArchive({ ...repo, ref: "main" });
    expect(
      Buffer.from(zip.data as ArrayBuffer)
        .subarray(0, 2)
        .toString(),
    ).toBe("PK");
  });

  test("git trees: inline content, a grafted subtree, a folder deletion, and bad entries", async () => {
    const head = (await octokit.rest.git.getCommit({ ...repo, commit_sha: sim.head("octo/data")! })).data.tree.sha;
    const f = (await octokit.rest.git.getTree({ ...repo, tree_sha: head })).data.tree.find((entry) => entry.path === "f")!;
    const created = await octokit.rest.git.createTree({
      ...repo,
      base_tree: head,
      tree: [
        { path: "inline/hello.txt", mode: "100644", type: "blob", content: "hello" },
        { path: "copy-of-f", mode: "040000", type: "tree", sha: f.sha! },
        { path: "x", mode: "040000", type: "tree", sha: null },
      ],
    });
    expect(created.status).toBe(201);
    const listing = (await octokit.rest.git.getTree({ ...repo, tree_sha: created.data.sha, recursive: "true" })).data.tree;
    const paths = new Set(listing.map((entry) => entry.path));
    expect(paths.has("inline/hello.txt") && paths.has("copy-of-f/0000.txt")).toBe(true);
    expect([...paths].some((entry) => entry!.startsWith("x/"))).toBe(false);
    expect(listing.find((entry) => entry.path === "copy-of-f")!.sha).toBe(f.sha);
    await expect(
      octokit.rest.git.createTree({ ...repo, tree: [{ path: "a", mode: "100644", type: "blob", sha: "e".repeat(40) }] }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      octokit.rest.git.createTree({
        ...repo,
        base_tree: "e".repeat(40),
        tree: [{ path: "a", mode: "100644", type: "blob", content: "a" }],
      }),
    ).rejects.toMatchObject({ status: 422 });
  });

  test("an empty repository answers 409 for git data and 404 for contents", async () => {
    await sim.createRepo({ owner: "octo", name: "empty" });
    const empty = { owner: "octo", repo: "empty" };
    await expect(octokit.rest.git.getRef({ ...empty, ref: "heads/main" })).rejects.toMatchObject({ status: 409 });
    await expect(octokit.rest.repos.getContent({ ...empty, path: "README.md" })).rejects.toMatchObject({ status: 404 });
    expect((await octokit.rest.repos.get({ ...empty })).data.default_branch).toBe("main");
  });

  test("a renamed repository redirects from its old name", async () => {
    await sim.createRepo({ owner: "octo", name: "old-name", files: { "a.txt": "a" } });
    sim.renameRepo("octo/old-name", "new-name");
    const moved = await octokit.rest.repos.get({ owner: "octo", repo: "old-name" });
    expect(moved.data.full_name).toBe("octo/new-name");
  });
});
