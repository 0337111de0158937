import nock from "nock";
import { pino } from "pino";
import { type Logger, ProbotOctokit } from "probot";
import { AppliedCommits } from "../../../src/applied-commits.js";
import { DEFAULT_COLLECTIONS, DEFAULT_REPO_CONFIG, type RepoConfig } from "../../../src/config/repo-config.js";
import type { WritebackOptions } from "../../../src/config/writeback-options.js";
import { gitBlobSha } from "../../../src/git/blob-sha.js";
import { createRecordReads, type RecordReads } from "../../../src/record-reads/record-reads.js";
import type { KeyStore } from "../../../src/store/key-store.js";
import { openSqliteStore } from "../../../src/store/sqlite/sqlite-store.js";
import type { FileBody, MirrorStore, RepoState } from "../../../src/store/store.js";
import type { WriteStore } from "../../../src/store/write-store.js";
import { createWriteback, type Writeback, type WritebackDeps } from "../../../src/writeback/create-writeback.js";
import { makeTempDir } from "../../helpers/temp-dir.js";

export const REPO_ID = 7;
export const HEAD = "a".repeat(40);

export const MESSAGE_SCHEMA = {
  type: "object",
  required: ["text"],
  additionalProperties: false,
  properties: { text: { type: "string", minLength: 1 }, replyTo: { type: "string" } },
};

export const TEST_CONFIG: RepoConfig = {
  ...DEFAULT_REPO_CONFIG,
  collections: {
    ...DEFAULT_COLLECTIONS,
    messages: { path: "data/messages", id: "{ulid}", schema: "schemas/message.json", write: "user", maxBytes: 256 },
    posts: { path: "content/posts", id: "{slug}", write: "site", format: "markdown" },
  },
};

export function file(path: string, content: string): FileBody {
  const bytes = Buffer.from(content);
  return { path, content: bytes, sha: gitBlobSha(bytes), size: bytes.length };
}

/** What the fake GitHub GraphQL endpoint received: the query and its variables. */
export interface GraphqlCall {
  query: string;
  variables: Record<string, unknown>;
}

type Reply = [status: number, body: unknown] | ((call: GraphqlCall) => [number, unknown]);

/**
 * GitHub's GraphQL endpoint faked with nock: each call takes the next scripted reply, and every
 * request body is kept for assertions. An unscripted call fails the test (nock: no match).
 */
export function fakeGraphql(replies: Reply[]): { calls: GraphqlCall[]; scope: nock.Scope } {
  const calls: GraphqlCall[] = [];
  const scope = nock("https://api.github.com");
  for (const reply of replies) {
    scope.post("/graphql").reply((_uri, body) => {
      const call = body as GraphqlCall;
      calls.push(call);
      const [status, json] = typeof reply === "function" ? reply(call) : reply;
      return [status, json as nock.Body];
    });
  }
  return { calls, scope };
}

export function committed(oid: string): [number, unknown] {
  return [200, { data: { createCommitOnBranch: { commit: { oid } } } }];
}

export function staleHead(expected: string): [number, unknown] {
  return [
    200,
    {
      data: { createCommitOnBranch: null },
      errors: [
        {
          type: "STALE_DATA",
          path: ["createCommitOnBranch"],
          message: `Expected branch to point to "${expected}" but it did not. Pull and try again.`,
        },
      ],
    },
  ];
}

export function graphqlError(type: string, message: string): [number, unknown] {
  return [200, { data: null, errors: [{ type, message }] }];
}

export interface FakeCommit {
  oid: string;
  message: string;
  parent?: string;
}

/** A history lookup's answer: the branch head first, newest commit first. */
export function history(commits: FakeCommit[]): [number, unknown] {
  return [
    200,
    {
      data: {
        repository: {
          ref: {
            target: {
              oid: commits[0]!.oid,
              history: {
                pageInfo: { hasNextPage: false, endCursor: null },
                nodes: commits.map((c) => ({ oid: c.oid, message: c.message, parents: { nodes: c.parent ? [{ oid: c.parent }] : [] } })),
              },
            },
          },
        },
      },
    },
  ];
}

export function isMutation(call: GraphqlCall): boolean {
  return call.query.trimStart().startsWith("mutation");
}

export interface MutationInput {
  branch: { repositoryNameWithOwner: string; branchName: string };
  expectedHeadOid: string;
  message: { headline: string; body: string };
  fileChanges: { additions: Array<{ path: string; contents: string }>; deletions: Array<{ path: string }> };
}

export function mutationInput(call: GraphqlCall): MutationInput {
  return call.variables.input as MutationInput;
}

export function decodedAdditions(call: GraphqlCall): Record<string, string> {
  return Object.fromEntries(
    mutationInput(call).fileChanges.additions.map((a) => [a.path, Buffer.from(a.contents, "base64").toString("utf8")]),
  );
}

export interface Harness {
  dir: string;
  store: MirrorStore;
  writeStore: WriteStore;
  /** The repositories' site keys, on the same database. */
  keys: KeyStore;
  writeback: Writeback;
  /** Reads of the collections, with the write queue's pending writes laid over the mirror. */
  records: RecordReads;
  /** Where the write-back announces the commits it applied to the mirror itself. */
  appliedCommits: AppliedCommits;
  repo(): Promise<RepoState>;
  /** Drops the write-back without stopping it (kill -9) and opens a fresh one on the same database. */
  crashAndRestart(options?: Partial<WritebackOptions>): Promise<Writeback>;
  /** Stops the write-back (which flushes) and removes the database; `{ crash: true }` skips the flush. */
  close(options?: { crash?: boolean }): Promise<void>;
}

export const FAST: Partial<WritebackOptions> = { flushWindowMs: 60_000, backoffMs: 5, maxBackoffMs: 20, stopTimeoutMs: 200 };

const silent: Logger = pino({ level: "silent" }) as unknown as Logger;

export async function createHarness(
  options: Partial<WritebackOptions> = FAST,
  mirrorFiles: FileBody[] = [],
  deps: Pick<WritebackDeps, "catchUpMirror"> = {},
): Promise<Harness> {
  const temp = makeTempDir("gitdisk-writeback-");
  let opened = openSqliteStore(temp.dir);
  let { mirror: store, writes: writeStore } = opened;
  await store.upsertRepo(
    { id: REPO_ID, owner: "octo", name: "site", private: false, defaultBranch: "main", installationId: 42 },
    { branch: "main", config: TEST_CONFIG },
  );
  await store.applyChanges(REPO_ID, {
    fromSha: null,
    toSha: HEAD,
    upserts: [file("schemas/message.json", JSON.stringify(MESSAGE_SCHEMA)), ...mirrorFiles],
    deletes: [],
  });
  const octokit = new ProbotOctokit({
    auth: { token: "test-token" },
    retry: { enabled: false },
    throttle: { enabled: false },
    log: silent,
  });
  const appliedCommits = new AppliedCommits();
  const make = (opts: Partial<WritebackOptions>) =>
    createWriteback({ store, writeStore, graphqlFor: async () => octokit.graphql, log: silent, options: opts, appliedCommits, ...deps });
  const harness: Harness = {
    dir: temp.dir,
    store,
    writeStore,
    keys: opened.keys,
    writeback: make(options),
    records: createRecordReads({ store, pending: writeStore }),
    appliedCommits,
    repo: async () => (await store.getRepo(REPO_ID))!,
    async crashAndRestart(opts = options) {
      await opened.close();
      opened = openSqliteStore(temp.dir);
      store = harness.store = opened.mirror;
      writeStore = harness.writeStore = opened.writes;
      harness.keys = opened.keys;
      harness.records = createRecordReads({ store, pending: writeStore });
      harness.writeback = make(opts);
      return harness.writeback;
    },
    async close({ crash = false } = {}) {
      if (!crash) await harness.writeback.stop();
      await opened.close();
      // A crashed process's timers die with it: with the database gone, stopping only ends the flushers'
      // retries (its flush fails at once), which would otherwise take the next test's GitHub answers.
      if (crash) await harness.writeback.stop().catch(() => undefined);
      temp.cleanup();
    },
  };
  return harness;
}
