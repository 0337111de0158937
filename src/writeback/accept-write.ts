import { findCollection } from "../config/find-collection.js";
import { BadRequestError, ConflictError, NotFoundError, PreconditionFailedError } from "../errors.js";
import { gitBlobSha } from "../git/blob-sha.js";
import { assertSafePath } from "../paths.js";
import { buildRecordId, compileIdTemplate, fitRecordId, idMisfit } from "../records/id-template.js";
import { normalizeLogin } from "../records/normalize-login.js";
import { isRecordData, type RecordData, serializeRecord } from "../records/record-format.js";
import { assertWritableId } from "../records/record-id-safety.js";
import { recordPath } from "../records/record-path.js";
import type { RecordSchemas } from "../records/record-schemas.js";
import type { MirrorStore, RepoState } from "../store/store.js";
import type { EnqueueResult, WriteCondition, WriteStore } from "../store/write-store.js";

/** POST creates (id from the template), PUT creates or replaces, DELETE deletes. */
export type WriteAction = "create" | "replace" | "delete";

export interface WriteRequest {
  repo: RepoState;
  collection: string;
  action: WriteAction;
  /** The record id from the URL, for replace and delete. */
  id?: string;
  /** The record's data (parsed JSON body), for create and replace. */
  data?: unknown;
  /** The acting user as the request names it (X-Gitdisk-User), not yet validated. */
  user: string | undefined;
  /** Who made the request as the API authenticated it (see actorOf in src/api). */
  actor: string;
  /** If-Match: the record's blob sha it must still have, or `*` for "must exist". */
  ifMatch?: string;
  /** If-None-Match: `*`, "must not exist yet" (create only). */
  ifNoneMatch?: "*";
}

export interface AcceptedWrite {
  id: string;
  path: string;
  writeId: string;
  status: "queued";
  /** Blob sha of the record's file once committed (what If-Match takes); null for a deletion. */
  sha: string | null;
  /** Whether the write creates the record (201 once committed) rather than replacing or deleting it (200). */
  created: boolean;
}

export interface AcceptDeps {
  store: MirrorStore;
  writeStore: WriteStore;
  schemas: RecordSchemas;
  newWriteId(): string;
  newRecordUlid(): string;
  now(): number;
}

/** A POST whose record exists; shows the client its id, so it can find what is already there. */
export class RecordExistsError extends ConflictError {
  readonly id: string;

  constructor(id: string, path: string) {
    super(`record ${id} already exists`, { id, path }, { id });
    this.id = id;
  }
}

/**
 * Validates a write completely, then queues it durably. Everything that can be wrong with it is
 * refused here (400/404/409/412/413/422), so nothing invalid ever reaches the queue or the repository.
 */
export async function acceptWrite(request: WriteRequest, deps: AcceptDeps): Promise<AcceptedWrite> {
  const { repo, action } = request;
  // Writes are made with the key, which may read the config: an unknown collection is explained.
  const collection = findCollection(repo.config, request.collection, true);
  const user = normalizeLogin(request.user);
  const template = compileIdTemplate(collection.id);

  let data: RecordData | undefined;
  let id: string;
  // Writes come with the site key, so an id the template does not fit names a record made by hand, by its
  // file name: it can be replaced or deleted, never created under a name the template could not build.
  let handMade = false;
  if (action === "create") {
    data = recordData(request.data);
    id = buildRecordId(template, { user, data, newUlid: deps.newRecordUlid });
  } else {
    const matched = fitRecordId(template, request.id ?? "");
    handMade = matched === undefined;
    id = matched?.id ?? request.id ?? "";
    if (action === "replace") {
      assertWritableId(id);
      data = recordData(request.data);
      checkFieldsAgree(data, matched?.fields ?? {});
    }
  }
  const path = assertSafePath(recordPath(collection, id));

  let content: Buffer | null = null;
  if (data) {
    // A file the mirror would not take could never be read back; the limit is checked while the file is written.
    content = serializeRecord(
      collection.format,
      data,
      Math.min(collection.maxBytes ?? Number.POSITIVE_INFINITY, repo.config.mirror.maxFileBytes),
    );
    if (collection.schema !== undefined) {
      deps.schemas.check(collection.schema, await deps.store.getFile(repo.id, collection.schema), data);
    }
  }

  const condition = conditionFor(action, request);
  // "Create only" cannot hold for a name the template could not build: such records are never created.
  if (handMade && condition.exists === false) throw idMisfit(template, id);
  const now = deps.now();
  const sha = content ? gitBlobSha(content) : null;
  const result = await deps.writeStore.enqueue(
    {
      id: deps.newWriteId(),
      repoId: repo.id,
      branch: repo.branch,
      collection: request.collection,
      recordId: id,
      path,
      op: action === "delete" ? "delete" : "put",
      user,
      actor: request.actor,
      content,
      sha,
      acceptedAt: now,
    },
    handMade ? { ...condition, exists: true } : condition,
    now,
  );
  if (!result.ok) throw handMade && result.reason === "missing" ? idMisfit(template, id) : refusal(result, id, path, request);
  return { id, path, writeId: result.write.id, status: "queued", sha, created: action !== "delete" && !result.existed };
}

function recordData(value: unknown): RecordData {
  if (!isRecordData(value)) throw new BadRequestError("the body must be a JSON object: the record's fields");
  return value;
}

/** A PUT's body may repeat the fields its id encodes, but not contradict them. */
function checkFieldsAgree(data: RecordData, fields: Record<string, string>): void {
  for (const [name, value] of Object.entries(fields)) {
    if (name === "user" || name === "ulid" || !(name in data)) continue;
    const given = data[name];
    if ((typeof given !== "string" && typeof given !== "number") || String(given) !== value) {
      throw new BadRequestError(`field "${name}" is ${JSON.stringify(given)} but the id says ${JSON.stringify(value)}`, { field: name });
    }
  }
}

function conditionFor(action: WriteAction, { ifMatch, ifNoneMatch }: Pick<WriteRequest, "ifMatch" | "ifNoneMatch">): WriteCondition {
  if (action === "create" || ifNoneMatch === "*") return { exists: false };
  const condition: WriteCondition = action === "delete" ? { exists: true } : {};
  if (ifMatch === "*") condition.exists = true;
  else if (ifMatch !== undefined) condition.sha = ifMatch;
  return condition;
}

function refusal(result: Extract<EnqueueResult, { ok: false }>, id: string, path: string, request: WriteRequest): Error {
  if (result.reason === "exists" && request.ifNoneMatch === "*")
    return new PreconditionFailedError(`record ${id} already exists`, { id, sha: result.currentSha });
  if (result.reason === "exists") return new RecordExistsError(id, path);
  if (result.reason === "missing" && request.ifMatch === undefined) return new NotFoundError(`record ${id} does not exist`, { id });
  return new PreconditionFailedError(
    result.currentSha === null ? `record ${id} does not exist` : `record ${id} has changed: its sha is now ${result.currentSha}`,
    { id, sha: result.currentSha },
  );
}
