import type { EmitterWebhookEvent } from "@octokit/webhooks";
import type { Logger, Probot } from "probot";
import type { DeliveryRetention, MirrorStore } from "../store/store.js";
import { deliveryProblem } from "./delivery-problem.js";

/** GitHub redelivers (same X-GitHub-Delivery id) only deliveries of the last 3 days; a week covers that with room. */
const RETENTION_MS = 7 * 24 * 3600_000;
const RETENTION_COUNT = 100_000;

export interface ScreenOptions {
  store: MirrorStore;
  log: Logger;
  /** The clock behind the retention of delivery ids. */
  now: () => number;
}

/**
 * Puts two checks between Probot's signature check and the handlers, where nothing has used the
 * payload yet (Probot builds each handler's installation client from `installation.id`): a signed
 * delivery whose payload is not of the shape gitdisk relies on, or whose delivery id was handled
 * before (a redelivery, or a replay of a captured one), is answered 200 and ignored, with one log
 * line. Unsigned ones and bodies that are not JSON still get Probot's 400.
 */
export function screenDeliveries(webhooks: Probot["webhooks"], { store, log, now }: ScreenOptions): void {
  const verifyAndReceive = webhooks.verifyAndReceive;
  webhooks.verifyAndReceive = async (delivery) => {
    const signed = await webhooks.verify(delivery.payload, delivery.signature).catch(() => false);
    const payload: unknown = signed ? parseJson(delivery.payload) : undefined;
    if (payload === undefined) return verifyAndReceive(delivery);
    const deliveryLog = log.child({ event: delivery.name, id: delivery.id });
    const problem = deliveryProblem(delivery.name, payload);
    if (problem !== undefined) {
      deliveryLog.warn({ problem }, "ignored a webhook delivery whose payload gitdisk cannot use");
      return;
    }
    const retention: DeliveryRetention = { since: now() - RETENTION_MS, atMost: RETENTION_COUNT };
    if (!(await store.recordDelivery(delivery.id, now(), retention))) {
      deliveryLog.info("ignored a webhook delivery handled before (same X-GitHub-Delivery id): a redelivery or a replay");
      return;
    }
    await webhooks.receive({ id: delivery.id, name: delivery.name, payload } as EmitterWebhookEvent);
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
