import { actsAsAdmin } from "../../auth/visitor-session.js";
import { BadRequestError, ForbiddenError, NotFoundError, UnavailableError } from "../../errors.js";
import type { KeyStore } from "../../store/key-store.js";
import type { Route, RouteContext } from "../api-types.js";
import { keyNeeded } from "../auth.js";
import { loadWritingRepo, notMirrored } from "../load-repo.js";
import { parseJsonBody } from "../parse-json-body.js";
import { hashSiteKey, newSiteKey, newSiteKeyId } from "../site-keys.js";

const MAX_NAME_LENGTH = 100;
const NO_STORE = { "cache-control": "no-store" };

/**
 * The repository whose keys are managed, and the store holding them. The operator's key manages keys,
 * and so does a visitor signed in to the repository with admin rights on it (learned from GitHub at
 * sign-in). Whoever may not see the repository learns nothing of it (the same 404 as for one never
 * mirrored); a site key or a session without admin rights is known but refused (403); anyone else gets a 401.
 */
async function keysOf(context: RouteContext): Promise<{ repoId: number; keys: KeyStore }> {
  const repo = await loadWritingRepo(context, { sessionSeesPrivate: true });
  const { access } = context;
  const what = `managing the keys of ${repo.owner}/${repo.name}`;
  const session = access.session?.repoId === repo.id ? access.session : undefined;
  if (!access.key && !(session && actsAsAdmin(session, context.deps.signIn?.now() ?? Date.now()))) {
    if (session?.admin) throw new ForbiddenError(`${what} needs admin rights GitHub confirmed within the hour: sign in again`);
    if (access.repoKey || session) throw new ForbiddenError(`${what} needs the operator's key or a signed-in admin of the repository`);
    throw keyNeeded(context.deps.config.apiKey, what);
  }
  if (!repo.mirror) throw notMirrored(repo.owner, repo.name);
  const { keys } = context.deps;
  if (!keys) throw new UnavailableError("this server keeps no repository keys");
  return { repoId: repo.id, keys };
}

function nameOf(body: unknown): string {
  const name = (body as { name?: unknown } | null)?.name;
  if (typeof name !== "string" || name.length === 0 || name.length > MAX_NAME_LENGTH) {
    throw new BadRequestError(`the body must be {"name": "..."} with a name of 1 to ${MAX_NAME_LENGTH} characters`);
  }
  return name;
}

const iso = (time: number | null) => (time === null ? null : new Date(time).toISOString());

export const keyRoutes: Route[] = [
  {
    method: "POST",
    pattern: "/v1/repos/{owner}/{repo}/keys",
    async handle(context) {
      const { repoId, keys } = await keysOf(context);
      const name = nameOf(await parseJsonBody(context));
      const key = newSiteKey();
      const id = newSiteKeyId();
      const createdAt = Date.now();
      await keys.createKey({ repoId, id, name, hash: hashSiteKey(key), createdAt });
      // The key itself is in this answer only: the store keeps its hash.
      return { status: 201, headers: NO_STORE, body: { id, name, key, createdAt: iso(createdAt) } };
    },
  },
  {
    method: "GET",
    pattern: "/v1/repos/{owner}/{repo}/keys",
    async handle(context) {
      const { repoId, keys } = await keysOf(context);
      const items = (await keys.listKeys(repoId)).map((key) => ({
        id: key.id,
        name: key.name,
        createdAt: iso(key.createdAt),
        lastUsedAt: iso(key.lastUsedAt),
      }));
      return { status: 200, headers: NO_STORE, body: { items } };
    },
  },
  {
    method: "DELETE",
    pattern: "/v1/repos/{owner}/{repo}/keys/{id}",
    async handle(context) {
      const { repoId, keys } = await keysOf(context);
      const id = context.params.id ?? "";
      if (!(await keys.revokeKey(repoId, id))) throw new NotFoundError(`no key ${id.slice(0, 40)} for this repository`);
      return { status: 204, headers: NO_STORE };
    },
  },
];
