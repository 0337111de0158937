import { userShape } from "../shapes/account-shapes.js";
import { hookShape } from "../shapes/hook-shapes.js";
import { webhookRepositoryShape } from "../shapes/repository-shapes.js";
import type { SimUrls } from "../shapes/sim-urls.js";
import type { RepoHook } from "../state/repo-hooks.js";
import type { Account, RepoRecord } from "../state/world.js";

/** GitHub's zen sayings; a ping carries one. */
const ZEN = [
  "Design for failure.",
  "Keep it logically awesome.",
  "Speak like a human.",
  "Favor focus over features.",
  "Approachable is better than simple.",
];

/** `ping`: sent to a repository webhook when it is created, and on `POST …/hooks/{hook_id}/pings`. */
export function pingPayload(hook: RepoHook, repo: RepoRecord, urls: SimUrls, sender: Account): Record<string, unknown> {
  return {
    zen: ZEN[hook.id % ZEN.length],
    hook_id: hook.id,
    hook: hookShape(hook, repo, urls),
    repository: webhookRepositoryShape(repo, urls, "event"),
    sender: userShape(sender, urls),
  };
}

/** `meta.deleted`: the last delivery a repository webhook gets, when it is deleted. */
export function hookDeletedPayload(hook: RepoHook, repo: RepoRecord, urls: SimUrls, sender: Account): Record<string, unknown> {
  const { type, id, name, active, events, config, updated_at, created_at } = hookShape(hook, repo, urls);
  return {
    action: "deleted",
    hook_id: hook.id,
    hook: { type, id, name, active, events, config, updated_at, created_at },
    repository: webhookRepositoryShape(repo, urls, "event"),
    sender: userShape(sender, urls),
  };
}
