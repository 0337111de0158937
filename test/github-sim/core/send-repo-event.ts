import type { Installation, RepoRecord } from "../state/world.js";
import type { WebhookDelivery } from "../webhooks/webhook-dispatcher.js";
import type { SimCore } from "./sim-core.js";

/**
 * Sends an event about a repository to whoever listens: the app when it is installed on the
 * repository (the payload names the installation), and each active repository webhook subscribed
 * to the event (its payload has no `installation`, as GitHub's repository-webhook payloads have none).
 */
export function sendRepoEvent(
  core: SimCore,
  repo: RepoRecord,
  event: string,
  payloadFor: (installation: Installation | undefined) => Record<string, unknown>,
): WebhookDelivery[] {
  const installation = core.world.installationOfRepo(repo);
  const toApp = installation ? core.webhooks.send(event, payloadFor(installation)) : [];
  const hooks = core.hooks.subscribed(repo.id, event);
  if (hooks.length === 0) return toApp;
  const hookPayload = payloadFor(undefined);
  return [...toApp, ...hooks.flatMap((hook) => core.webhooks.send(event, hookPayload, hook))];
}
