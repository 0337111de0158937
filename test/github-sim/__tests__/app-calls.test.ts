import { gunzipSync } from "node:zlib";
import { gitBlobSha } from "../../../src/git/blob-sha.js";
import { GitHubReader } from "../../../src/sync/github-reader.js";
import { type Simulator, startSimulator } from "../start-simulator.js";
import { checkWebhook, installationOctokit, manyFiles, type TestOctokit, WebhookReceiver } from "./helpers/sim-test-kit.js";

/** Names of the entries of an uncompressed tar, and git's pax global header comment (the commit id). */
function tarEntries(tar: Buffer): { names: string[]; paxComment: string | undefined } {
  const names: string[] = [];
  let paxComment: string | undefined;
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const name = header.subarray(0, 100).toString("utf8").replace(/\0.*$/s, "");
    const prefix = header.subarray(345, 500).toString("utf8").replace(/\0.*$/s, "");
    const size = parseInt(header.subarray(124, 136).toString("utf8").replace(/\0.*$/s, "").trim() || "0", 8);
    const type = String.fromCharCode(header[156]!);
    const body = tar.subarray(offset + 512, offset + 512 + size);
    if (type === "g") paxComment = /\d+ comment=([0-9a-f]{40})\n/.exec(body.toString("utf8"))?.[1];
    else if (type === "0" || type === "\0") names.push(prefix ? `${prefix}/${name}` : name);
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return { names, paxComment };
}

describe("the calls gitdisk makes, through Probot's own auth", () => {
  let sim: Simulator;
  let receiver: WebhookReceiver;
  let octokit: TestOctokit;
  let installationId: number;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    sim = await startSimulator({ webhookUrl: receiver.url });
    await sim.createRepo({ owner: "octo", name: "site", files: { ...manyFiles(120), ".github/gitdisk.yml": "branch: main\n" } });
    await sim.createRepo({ owner: "octo", name: "other", files: { "x.txt": "x" } });
    ({ installationId } = sim.install("octo", ["site"]));
    octokit = await installationOctokit(sim, installationId);
  });

  afterAll(async () => {
    await sim.close();
    await receiver.close();
  });

  afterEach(() => {
    const violations = sim.violations();
    sim.clearViolations();
    expect(violations).toEqual([]);
  });

  test("repository, ref and config file", async () => {
    const repo = await octokit.rest.repos.get({ owner: "octo", repo: "site" });
    expect(repo.data).toMatchObject({
      name: "site",
      full_name: "octo/site",
      owner: { login: "octo" },
      private: false,
      default_branch: "main",
    });
    expect(repo.headers["x-ratelimit-remaining"]).toBeDefined();
    const ref = await octokit.rest.git.getRef({ owner: "octo", repo: "site", ref: "heads/main" });
    expect(ref.data.object).toMatchObject({ sha: sim.head("octo/site"), type: "commit" });
    await expect(octokit.rest.git.getRef({ owner: "octo", repo: "site", ref: "heads/nope" })).rejects.toMatchObject({ status: 404 });
    const config = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
      owner: "octo",
      repo: "site",
      path: ".github/gitdisk.yml",
    });
    expect(Buffer.from((config.data as { content: string }).content, "base64").toString()).toBe("branch: main\n");
  });

  test("a repository outside the installation looks absent", async () => {
    await expect(octokit.rest.repos.get({ owner: "octo", repo: "other" })).rejects.toMatchObject({ status: 404 });
  });

  test("tarball: 302 to codeload, one top folder named owner-repo-shortsha, commit id in the pax header", async () => {
    const head = sim.head("octo/site")!;
    const response = await octokit.rest.repos.downloadTarballArchive({ owner: "octo", repo: "site", ref: "main" });
    expect(response.url).toContain("/_codeload/octo/site/legacy.tar.gz/");
    const { names, paxComment } = tarEntries(gunzipSync(Buffer.from(response.data as ArrayBuffer)));
    expect(paxComment).toBe(head);
    expect(new Set(names.map((name) => name.split("/")[0]))).toEqual(new Set([`octo-site-${head.slice(0, 7)}`]));
    expect(names).toHaveLength(121);
  });

  test("recursive tree, blobs over GraphQL and REST", async () => {
    const tree = await octokit.rest.git.getTree({ owner: "octo", repo: "site", tree_sha: sim.head("octo/site")!, recursive: "1" });
    const blobs = tree.data.tree.filter((entry) => entry.type === "blob");
    expect(blobs).toHaveLength(121);
    expect(tree.data.truncated).toBe(false);
    const batch = blobs.slice(0, 100);
    const query = `query($owner:String!,$name:String!){ repository(owner:$owner,name:$name){ ${batch
      .map((blob, i) => `f${i}: object(oid:"${blob.sha}"){ ... on Blob { oid byteSize isBinary isTruncated text } }`)
      .join(" ")} head: ref(qualifiedName:"refs/heads/main"){ target { oid } } } }`;
    const result = await octokit.graphql<{
      repository: Record<string, { oid: string; text: string; byteSize: number } & { target?: { oid: string } }>;
    }>(query, { owner: "octo", name: "site" });
    expect(result.repository.head!.target!.oid).toBe(sim.head("octo/site"));
    for (const [i, blob] of batch.entries()) {
      const expected = await sim.readFile("octo/site", blob.path!);
      expect(result.repository[`f${i}`]).toMatchObject({ oid: blob.sha, text: expected!.toString("utf8"), byteSize: expected!.length });
    }
    const rest = await octokit.rest.git.getBlob({ owner: "octo", repo: "site", file_sha: blobs[0]!.sha! });
    expect(Buffer.from(rest.data.content, "base64")).toEqual(await sim.readFile("octo/site", blobs[0]!.path!));
  });

  test("a blob of 8 MiB, raw: the exact bytes, binary or text", async () => {
    const binary = Buffer.alloc(8 * 1024 * 1024, 7);
    binary[0] = 0;
    const text = Buffer.from("caf\u00e9 ".repeat(1_000_000));
    await sim.push("octo/site", { commits: [{ message: "large files", files: { "big/photo.bin": binary, "big/text.txt": text } }] });
    const reader = new GitHubReader(octokit, "octo", "site");
    expect((await reader.getBlob(gitBlobSha(binary))).equals(binary)).toBe(true);
    expect((await reader.getBlob(gitBlobSha(text))).equals(text)).toBe(true);
  });

  test("compare after a push: renames, removals, modifications, and the push webhook", async () => {
    const before = sim.head("octo/site")!;
    const pushed = await sim.push("octo/site", {
      commits: [
        {
          message: "edit and delete",
          files: { "f/0000.txt": "changed\n", "f/0001.txt": null, "img/logo.png": new Uint8Array([0x89, 0x50, 0, 1, 2]) },
        },
        { message: "rename", renames: { "f/0002.txt": "g/moved.txt" } },
      ],
    });
    const comparison = await octokit.rest.repos.compareCommitsWithBasehead({
      owner: "octo",
      repo: "site",
      basehead: `${before}...${pushed.after}`,
    });
    expect(comparison.data).toMatchObject({
      status: "ahead",
      ahead_by: 2,
      behind_by: 0,
      total_commits: 2,
      merge_base_commit: { sha: before },
    });
    expect(comparison.data.commits.map((commit) => commit.sha)).toEqual(pushed.commits);
    const byName = Object.fromEntries((comparison.data.files ?? []).map((file) => [file.filename, file]));
    expect(byName["f/0000.txt"]).toMatchObject({ status: "modified", additions: 1, deletions: 1 });
    expect(byName["f/0001.txt"]).toMatchObject({ status: "removed" });
    expect(byName["img/logo.png"]).toMatchObject({ status: "added" });
    expect(byName["g/moved.txt"]).toMatchObject({ status: "renamed", previous_filename: "f/0002.txt" });
    await sim.webhooks.settled();
    const push = receiver.received.find((webhook) => webhook.event === "push" && webhook.payload.after === pushed.after)!;
    expect(await checkWebhook(sim.app.webhookSecret, push)).toEqual([]);
    expect(push.payload).toMatchObject({ ref: "refs/heads/main", before, forced: false, installation: { id: installationId } });
    expect((push.payload.commits as Array<{ added: string[]; removed: string[] }>)[1]).toMatchObject({
      added: ["g/moved.txt"],
      removed: ["f/0002.txt"],
    });
  });

  test("createCommitOnBranch writes one commit, refuses a stale head, and announces the push", async () => {
    const head = sim.head("octo/site")!;
    const mutation = `mutation($input: CreateCommitOnBranchInput!){ createCommitOnBranch(input:$input){ commit { oid url } } }`;
    const input = {
      branch: { repositoryNameWithOwner: "octo/site", branchName: "main" },
      expectedHeadOid: head,
      message: { headline: "gitdisk: 2 writes", body: "profiles" },
      fileChanges: {
        additions: [{ path: "data/users/u1.json", contents: Buffer.from('{"name":"a"}').toString("base64") }],
        deletions: [{ path: "f/0003.txt" }],
      },
    };
    const result = await octokit.graphql<{ createCommitOnBranch: { commit: { oid: string; url: string } } }>(mutation, { input });
    const oid = result.createCommitOnBranch.commit.oid;
    expect(sim.head("octo/site")).toBe(oid);
    expect((await sim.readFile("octo/site", "data/users/u1.json"))!.toString()).toBe('{"name":"a"}');
    expect(await sim.readFile("octo/site", "f/0003.txt")).toBeNull();
    const commit = await octokit.rest.repos.getCommit({ owner: "octo", repo: "site", ref: oid });
    expect(commit.data.commit.message).toBe("gitdisk: 2 writes\n\nprofiles");
    expect(commit.data.parents.map((parent) => parent.sha)).toEqual([head]);
    await expect(octokit.graphql(mutation, { input })).rejects.toMatchObject({
      errors: [
        expect.objectContaining({
          type: "STALE_DATA",
          message: `Expected branch to point to "${head}" but it did not. Pull and try again.`,
        }),
      ],
    });
    const push = await sim.webhooks.waitFor((delivery) => delivery.event === "push" && delivery.payload.after === oid);
    expect(push.state).toBe("delivered");
    expect(push.payload.pusher).toMatchObject({ name: "gitdisk[bot]" });
  });

  test("Git Data API fallback: blob, tree with deletion, commit, fast-forward ref update", async () => {
    const head = sim.head("octo/site")!;
    const base = await octokit.rest.git.getCommit({ owner: "octo", repo: "site", commit_sha: head });
    const blob = await octokit.rest.git.createBlob({
      owner: "octo",
      repo: "site",
      content: Buffer.from("hello").toString("base64"),
      encoding: "base64",
    });
    const tree = await octokit.rest.git.createTree({
      owner: "octo",
      repo: "site",
      base_tree: base.data.tree.sha,
      tree: [
        { path: "data/hello.txt", mode: "100644", type: "blob", sha: blob.data.sha },
        { path: "f/0004.txt", mode: "100644", type: "blob", sha: null },
      ],
    });
    const commit = await octokit.rest.git.createCommit({
      owner: "octo",
      repo: "site",
      message: "fallback",
      tree: tree.data.sha,
      parents: [head],
    });
    const stale = await octokit.rest.git.createCommit({
      owner: "octo",
      repo: "site",
      message: "sibling",
      tree: tree.data.sha,
      parents: [base.data.parents[0]!.sha],
    });
    await expect(
      octokit.rest.git.updateRef({ owner: "octo", repo: "site", ref: "heads/main", sha: stale.data.sha, force: false }),
    ).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining("Update is not a fast forward"),
    });
    await octokit.rest.git.updateRef({ owner: "octo", repo: "site", ref: "heads/main", sha: commit.data.sha, force: false });
    expect(sim.head("octo/site")).toBe(commit.data.sha);
    expect((await sim.readFile("octo/site", "data/hello.txt"))!.toString()).toBe("hello");
    expect(await sim.readFile("octo/site", "f/0004.txt")).toBeNull();
    const own = await octokit.rest.repos.getCommit({ owner: "octo", repo: "site", ref: commit.data.sha });
    expect(own.data.commit.message).toBe("fallback");
    expect(own.data.files!.map((file) => [file.filename, file.status]).sort()).toEqual([
      ["data/hello.txt", "added"],
      ["f/0004.txt", "removed"],
    ]);
  });

  test("every webhook sent so far verifies and matches GitHub's schemas", async () => {
    await sim.webhooks.settled();
    expect(receiver.received.length).toBeGreaterThanOrEqual(4);
    for (const webhook of receiver.received)
      expect({ event: webhook.event, problems: await checkWebhook(sim.app.webhookSecret, webhook) }).toEqual({
        event: webhook.event,
        problems: [],
      });
    expect(receiver.received[0]).toMatchObject({ event: "installation", payload: { action: "created" } });
    expect(receiver.received[0]!.headers).toMatchObject({
      "user-agent": expect.stringMatching(/^GitHub-Hookshot\//),
      "x-github-hook-id": expect.any(String),
    });
  });
});
