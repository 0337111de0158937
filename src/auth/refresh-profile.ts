import type { Logger } from "probot";
import { ConfigError, isAppError, NotFoundError } from "../errors.js";
import type { RecordView } from "../record-reads/read-record.js";
import type { RecordReads } from "../record-reads/record-reads.js";
import { AUTHOR_FIELD } from "../records/authorship.js";
import { buildRecordId, compileIdTemplate } from "../records/id-template.js";
import { normalizeLogin } from "../records/normalize-login.js";
import type { RecordData } from "../records/record-format.js";
import type { RepoState } from "../store/store.js";
import type { GithubUser } from "./github-user.js";
import { visitorActor } from "./visitor-actor.js";
import type { Writer } from "./write-rules.js";

/** The collection a visitor's profile lives in, one record per visitor (`{user}`). */
const PROFILES_COLLECTION = "profiles";

/**
 * The write a profile refresh makes: acceptWrite's request, as much of it as it uses. Declared here so
 * that sign-in depends on the write path's shape, not on the write-back (which depends on auth's rules).
 */
export interface ProfileWrite {
  repo: RepoState;
  collection: string;
  action: "replace";
  id: string;
  data: RecordData;
  writer: Writer;
  actor: string;
  ifMatch?: string;
  ifNoneMatch?: "*";
}

export interface ProfileDeps {
  records: RecordReads;
  /** The normal write path (Writeback.accept): queued and committed with everything else. */
  accept(request: ProfileWrite): Promise<unknown>;
  log: Logger;
}

/** What sign-in calls once it knows the visitor: refreshes their profile, and never fails the sign-in. */
export type RefreshProfile = (repo: RepoState, githubUser: GithubUser) => Promise<void>;

const FIELDS = ["login", "name", "avatar_url", "html_url"] as const;

/**
 * The visitor's profile data after this sign-in, or undefined when nothing it keeps changed (no write).
 * Fields the visitor added are kept, and so is the time of their first sign-in.
 */
export function profileData(current: RecordData | undefined, user: GithubUser, now: number): RecordData | undefined {
  const fresh: RecordData = {
    login: user.login,
    name: user.name,
    avatar_url: user.avatar_url,
    html_url: user.html_url,
    [AUTHOR_FIELD]: normalizeLogin(user.login),
  };
  const firstSignIn = current?.first_sign_in_at;
  const unchanged = typeof firstSignIn === "string" && [...FIELDS, AUTHOR_FIELD].every((field) => current?.[field] === fresh[field]);
  if (unchanged) return undefined;
  return { ...current, ...fresh, first_sign_in_at: typeof firstSignIn === "string" ? firstSignIn : new Date(now).toISOString() };
}

/**
 * Writes the visitor's profile record when GitHub's account details changed since it was written, as the
 * visitor (so the collection's rule applies), conditioned on the version read. A refusal (the
 * collection's rule or schema, a concurrent change) is logged; the sign-in goes on.
 */
export async function refreshProfile(deps: ProfileDeps, repo: RepoState, githubUser: GithubUser, now: number): Promise<void> {
  // A site that turned profiles off (`profiles: false`) gets none written.
  const collection = Object.hasOwn(repo.config.collections, PROFILES_COLLECTION) ? repo.config.collections[PROFILES_COLLECTION] : undefined;
  if (!collection) return;
  const login = normalizeLogin(githubUser.login);
  const where = { repo: `${repo.owner}/${repo.name}`, login };
  try {
    const id = buildRecordId(compileIdTemplate(collection.id), {
      user: login,
      data: {},
      newUlid: () => {
        throw new ConfigError(`the ${PROFILES_COLLECTION} id template ${collection.id} must name a record by {user} alone`);
      },
    });
    const current = await readIfAny(deps.records, repo, id);
    const data = profileData(current?.data, githubUser, now);
    if (!data) return;
    await deps.accept({
      repo,
      collection: PROFILES_COLLECTION,
      action: "replace",
      id,
      data,
      writer: { kind: "visitor", login },
      actor: visitorActor(login),
      ...(current ? { ifMatch: current.sha } : { ifNoneMatch: "*" as const }),
    });
  } catch (error) {
    if (isAppError(error)) deps.log.warn({ ...where, code: error.code, err: error }, `profile not refreshed: ${error.message}`);
    else deps.log.error({ ...where, err: error }, "profile refresh failed");
  }
}

async function readIfAny(records: RecordReads, repo: RepoState, id: string): Promise<RecordView | undefined> {
  try {
    return await records.read(repo, records.locate(repo, PROFILES_COLLECTION, id, false));
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/** refreshProfile bound to its dependencies and the clock, as sign-in calls it. */
export function profileRefresher(deps: ProfileDeps, now: () => number = Date.now): RefreshProfile {
  return (repo, githubUser) => refreshProfile(deps, repo, githubUser, now());
}
