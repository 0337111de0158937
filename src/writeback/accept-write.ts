import { decideWrite, type WriteAction, type WriteDecision, type Writer } from "../auth/write-rules.js";
import { findCollection } from "../config/find-collection.js";
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError } from "../errors.js";
import { gitBlobSha } from "../git/blob-sha.js";
import { assertSafePath } from "../paths.js";
import { currentRecordFile } from "../record-reads/read-record.js";
import { authorOf, stampAuthor, takeAuthorship } from "../records/authorship.js";
import { buildRecordId, compileIdTemplate, fitRecordId, hasPlaceholder, idMisfit, matchRecordId } from "../records/id-template.js";
import { normalizeLogin } from "../records/normalize-login.js";
import { isRecordData, parseRecord, type RecordData, type RecordFormat, serializeRecord } from "../records/record-format.js";
import { assertWritableId } from "../records/record-id-safety.js";
import { recordPath } from "../records/record-path.js";
import type { RecordSchemas } from "../records/record-schemas.js";
import type { MirrorStore, RepoState } from "../store/store.js";
import { violated } from "../store/write-policy.js";
import type { EnqueueResult, NewWrite, WriteCondition, WriteStore } from "../store/write-store.js";

export type { WriteAction, Writer } from "../auth/write-rules.js";

export interface WriteRequest {
  repo: RepoState;
  collection: string;
  action: WriteAction;
  /** The record id from the URL, for replace and delete. */
  id?: string;
  /** The record's data (parsed JSON body), for create and replace. */
  data?: unknown;
  /**
   * Who writes, as the API authenticated them: a key, with the user it acts for as the request names it
   * (X-Gitdisk-User, not yet validated) or none; or a signed-in visitor, who acts as their own login.
   */
  writer: Writer;
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
 * refused here (400/403/404/409/412/413/422), so nothing invalid ever reaches the queue or the repository.
 * A visitor's write is held to the collection's write rule (see decideWrite); every write made as a
 * user carries that user as the record's author (`_author`).
 */
export async function acceptWrite(request: WriteRequest, deps: AcceptDeps): Promise<AcceptedWrite> {
  const { repo, action, writer } = request;
  const byKey = writer.kind === "key";
  // A key may read the config: an unknown collection is explained to it.
  const collection = findCollection(repo.config, request.collection, byKey);
  const user = actingUser(writer);
  const template = compileIdTemplate(collection.id);
  const withUser = hasPlaceholder(template, "user");

  const body = action === "delete" ? undefined : takeAuthorship(recordData(request.data), user);
  let id: string;
  let idUser: string | undefined;
  // A key's id the template does not fit names a record made by hand, by its file name: it can be
  // replaced or deleted, never created under a name the template could not build. Visitors only reach
  // records by the ids the template builds.
  let handMade = false;
  if (action === "create") {
    idUser = withUser ? (user ?? normalizeLogin(undefined)) : undefined;
    id = buildRecordId(template, { user: idUser ?? "", data: body!.fields, newUlid: deps.newRecordUlid });
  } else {
    const matched = byKey ? fitRecordId(template, request.id ?? "") : matchRecordId(template, request.id ?? "");
    handMade = matched === undefined;
    id = matched?.id ?? request.id ?? "";
    idUser = matched?.fields.user;
    if (body) {
      assertWritableId(id);
      checkFieldsAgree(body.fields, matched?.fields ?? {});
    }
  }
  const path = assertSafePath(recordPath(collection, id));
  const attempt = { collection: request.collection, rule: collection.write, writer, action, ...(idUser === undefined ? {} : { idUser }) };
  // What the rule decides without the current record (a site collection, another user's id) is refused
  // before the body is looked at; a visitor's replace or delete is judged again on the record, below.
  permit(decideWrite(attempt), id);

  let content: Buffer | null = null;
  if (body) {
    // A file the mirror would not take could never be read back; the limit is checked while the file is written.
    content = serializeRecord(
      collection.format,
      stampAuthor(body.fields, body.author),
      Math.min(collection.maxBytes ?? Number.POSITIVE_INFINITY, repo.config.mirror.maxFileBytes),
    );
    // The schema describes the site's fields; `_author` is gitdisk's.
    if (collection.schema !== undefined) {
      deps.schemas.check(collection.schema, await deps.store.getFile(repo.id, collection.schema), body.fields);
    }
  }

  const condition = conditionFor(action, request);
  // "Create only" cannot hold for a name the template could not build: such records are never created.
  if (handMade && condition.exists === false) throw idMisfit(template, id);
  const sha = content ? gitBlobSha(content) : null;
  const newWrite = (now: number): NewWrite => ({
    id: deps.newWriteId(),
    repoId: repo.id,
    branch: repo.branch,
    collection: request.collection,
    recordId: id,
    path,
    op: action === "delete" ? "delete" : "put",
    user: user ?? "",
    actor: request.actor,
    content,
    sha,
    acceptedAt: now,
  });
  const accepted = (result: Extract<EnqueueResult, { ok: true }>): AcceptedWrite => ({
    id,
    path,
    writeId: result.write.id,
    status: "queued",
    sha,
    created: action !== "delete" && !result.existed,
  });

  if (writer.kind === "key" || action === "create") {
    const now = deps.now();
    const result = await deps.writeStore.enqueue(newWrite(now), handMade ? { ...condition, exists: true } : condition, now);
    if (!result.ok) throw handMade && result.reason === "missing" ? idMisfit(template, id) : refusal(result, id, path, request);
    return accepted(result);
  }

  // A visitor's replace or delete depends on who wrote the record: it is read from the store (no GitHub
  // call), and the write is queued only if the record is still what was read, so the check and the write
  // are one. A record changed in between is read and judged once more: a client that set no condition
  // asked for the last write to win, which that second round gives it; changing again is a 412.
  const reads = { store: deps.store, pending: deps.writeStore, now: deps.now };
  for (let round = 1; ; round++) {
    const file = await currentRecordFile(reads, repo.id, path);
    const current = file ? { sha: file.sha, author: authorInFile(collection.format, file.content) } : undefined;
    permit(decideWrite({ ...attempt, ...(current ? { current } : {}) }), id);
    const currentSha = current?.sha ?? null;
    const unmet = violated(condition, currentSha);
    if (unmet) throw refusal({ ok: false, reason: unmet, currentSha }, id, path, request);
    const now = deps.now();
    const result = await deps.writeStore.enqueue(newWrite(now), current ? { sha: current.sha } : { exists: false }, now);
    if (result.ok) return accepted(result);
    if (round === 2)
      throw new PreconditionFailedError(`record ${id} changed while it was being written; send the write again`, {
        id,
        sha: result.currentSha,
      });
  }
}

/** The user a write is made as, lower-cased: the visitor, or the user a key names (none is fine for a key). */
function actingUser(writer: Writer): string | undefined {
  if (writer.kind === "visitor") return normalizeLogin(writer.login);
  return writer.user === undefined ? undefined : normalizeLogin(writer.user);
}

function permit(decision: WriteDecision, id: string): void {
  if (!decision.allowed) throw new ForbiddenError(decision.reason, { id });
}

/** The author a record's file names; none when it does not parse (edited by hand). */
function authorInFile(format: RecordFormat | undefined, content: Buffer): string | undefined {
  const parsed = parseRecord(format, content);
  return parsed.ok ? authorOf(parsed.data) : undefined;
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
