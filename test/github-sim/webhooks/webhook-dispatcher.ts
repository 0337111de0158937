import { createHmac, randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import http from "node:http";
import https from "node:https";
import type { HookEndpoint } from "./hook-endpoint.js";

export type DeliveryState = "held" | "in-flight" | "delivered" | "failed" | "dropped" | "no-target";

export interface WebhookDelivery {
  /** Sequential number, in the order events happened. */
  seq: number;
  /** X-GitHub-Delivery; a duplicate keeps its original's, as GitHub's redeliveries do. */
  guid: string;
  event: string;
  action: string | undefined;
  /** X-GitHub-Hook-ID: the app's hook, or a repository webhook's id. */
  hookId: number;
  payload: Record<string, unknown>;
  /** The payload's JSON (a `form` hook gets it as the form's `payload` field). */
  body: string;
  state: DeliveryState;
  /** True for the extra copy a `duplicate` fault sends. */
  duplicate: boolean;
  statusCode?: number;
  error?: string;
  durationMs?: number;
}

export interface DeliveryFilter {
  event?: string;
  action?: string;
  hookId?: number;
}

interface CountedFault extends DeliveryFilter {
  remaining: number;
  /** For duplicates: give the copy its own delivery GUID instead of the original's. */
  newGuid?: boolean;
}

export interface WebhookDispatcherOptions {
  secret: string;
  hookId: number;
  appId: number;
  /** GitHub gives up on a hook after 10 seconds. */
  timeoutMs?: number;
  extraHeaders?: Record<string, string>;
}

function matches(filter: DeliveryFilter, delivery: WebhookDelivery): boolean {
  return (
    (filter.event === undefined || filter.event === delivery.event) &&
    (filter.action === undefined || filter.action === delivery.action) &&
    (filter.hookId === undefined || filter.hookId === delivery.hookId)
  );
}

/** A hook's last_response after a delivery, as GitHub shows it under the hook. */
function lastResponse(statusCode: number | undefined, error: string | undefined): HookEndpoint["lastResponse"] {
  const ok = statusCode !== undefined && statusCode >= 200 && statusCode < 300;
  return {
    code: statusCode ?? null,
    status: ok ? "active" : "failed",
    message: ok ? "OK" : (error ?? `Invalid HTTP Response: ${statusCode}`),
  };
}

/** `sha256=<hex>`: what GitHub puts in X-Hub-Signature-256. */
export function signPayload(secret: string, body: string, algorithm: "sha256" | "sha1" = "sha256"): string {
  return `${algorithm}=${createHmac(algorithm, secret).update(body).digest("hex")}`;
}

/**
 * Delivers webhooks like GitHub: signed POSTs, one attempt each (no retries), a 10-second
 * timeout, every delivery recorded with the response status. Deliveries go to the app's webhook
 * URL or to a repository webhook (each with its own URL, secret and content type); they start as
 * soon as the event happens and run concurrently. Faults (drop, duplicate, hold, then release in
 * order or reversed) apply to both alike. Emits "delivery" with the record each time one finishes.
 */
export class WebhookDispatcher extends EventEmitter {
  private readonly app: HookEndpoint;
  private readonly endpoints = new WeakMap<WebhookDelivery, HookEndpoint>();
  private readonly log: WebhookDelivery[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly drops: CountedFault[] = [];
  private readonly duplicates: CountedFault[] = [];
  private holding = false;
  private seq = 0;

  constructor(private readonly options: WebhookDispatcherOptions) {
    super();
    this.app = {
      id: options.hookId,
      targetType: "integration",
      targetId: options.appId,
      url: null,
      secret: options.secret,
      contentType: "json",
      insecureSsl: "0",
      lastResponse: { code: null, status: "unused", message: null },
    };
  }

  /** Where the app's webhooks go. */
  setTarget(url: string | null): void {
    this.app.url = url;
  }

  get targetUrl(): string | null {
    return this.app.url;
  }

  /** Records and sends one event to the app (by default) or a repository webhook; returns the delivery records it created. */
  send(event: string, payload: Record<string, unknown>, endpoint: HookEndpoint = this.app): WebhookDelivery[] {
    const delivery = this.record(event, payload, randomUUID(), false, endpoint);
    const drop = this.takeFault(this.drops, delivery);
    if (drop) {
      delivery.state = "dropped";
      this.emit("delivery", delivery);
      return [delivery];
    }
    const created = [delivery];
    const duplicate = this.takeFault(this.duplicates, delivery);
    if (duplicate) created.push(this.record(event, payload, duplicate.newGuid ? randomUUID() : delivery.guid, true, endpoint));
    for (const item of created) {
      if (this.holding) item.state = "held";
      else void this.start(item);
    }
    return created;
  }

  /** Drops (never sends) the next `times` deliveries matching the filter. */
  drop(times = 1, filter: DeliveryFilter = {}): void {
    this.drops.push({ ...filter, remaining: times });
  }

  /**
   * Sends the next `times` matching deliveries twice. The copy keeps the original's delivery GUID,
   * as GitHub's redeliveries do, unless `newGuid` (a duplicate the receiver cannot spot by id).
   */
  duplicate(times = 1, filter: DeliveryFilter = {}, options: { newGuid?: boolean } = {}): void {
    this.duplicates.push({ ...filter, remaining: times, ...(options.newGuid ? { newGuid: true } : {}) });
  }

  /**
   * Sends a past delivery again, with its GUID and payload, as GitHub's "Redeliver" does: a
   * receiver sees an old event a second time.
   */
  redeliver(guid: string): WebhookDelivery {
    const original = this.log.find((delivery) => delivery.guid === guid);
    const endpoint = original && this.endpoints.get(original);
    if (!original || !endpoint) throw new Error(`no webhook delivery ${guid}`);
    const again = this.record(original.event, original.payload, guid, true, endpoint);
    if (this.holding) again.state = "held";
    else void this.start(again);
    return again;
  }

  /** Keeps every new delivery until release(). */
  hold(): void {
    this.holding = true;
  }

  /**
   * Sends the held deliveries, oldest first or reversed, one after the other (each once the
   * previous one is answered), so the receiver sees exactly that order; returns how many.
   */
  release(order: "fifo" | "reverse" = "fifo"): number {
    this.holding = false;
    const held = this.log.filter((delivery) => delivery.state === "held");
    if (order === "reverse") held.reverse();
    const chain = held.reduce<Promise<void>>((previous, delivery) => previous.then(() => this.start(delivery)), Promise.resolve());
    this.track(chain);
    return held.length;
  }

  clearFaults(): void {
    this.drops.length = 0;
    this.duplicates.length = 0;
    if (this.holding) this.release();
  }

  deliveries(filter: DeliveryFilter = {}): WebhookDelivery[] {
    return this.log.filter((delivery) => matches(filter, delivery));
  }

  /** Resolves once no delivery is in flight (held ones stay held). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** The first finished delivery (past or future) that satisfies `predicate`. */
  waitFor(predicate: (delivery: WebhookDelivery) => boolean, timeoutMs = 15000): Promise<WebhookDelivery> {
    const finished = (delivery: WebhookDelivery) => delivery.state !== "held" && delivery.state !== "in-flight";
    const existing = this.log.find((delivery) => finished(delivery) && predicate(delivery));
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off("delivery", listener);
        reject(new Error(`no matching webhook delivery within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (delivery: WebhookDelivery) => {
        if (!predicate(delivery)) return;
        clearTimeout(timer);
        this.off("delivery", listener);
        resolve(delivery);
      };
      this.on("delivery", listener);
    });
  }

  private record(
    event: string,
    payload: Record<string, unknown>,
    guid: string,
    duplicate: boolean,
    endpoint: HookEndpoint,
  ): WebhookDelivery {
    const delivery: WebhookDelivery = {
      seq: ++this.seq,
      guid,
      event,
      action: typeof payload.action === "string" ? payload.action : undefined,
      hookId: endpoint.id,
      payload,
      body: JSON.stringify(payload),
      state: "in-flight",
      duplicate,
    };
    this.log.push(delivery);
    this.endpoints.set(delivery, endpoint);
    return delivery;
  }

  private takeFault(faults: CountedFault[], delivery: WebhookDelivery): CountedFault | undefined {
    const fault = faults.find((candidate) => candidate.remaining > 0 && matches(candidate, delivery));
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining === 0) faults.splice(faults.indexOf(fault), 1);
    return fault;
  }

  private start(delivery: WebhookDelivery): Promise<void> {
    delivery.state = "in-flight";
    const endpoint = this.endpoints.get(delivery)!;
    if (!endpoint.url) {
      delivery.state = "no-target";
      this.emit("delivery", delivery);
      return Promise.resolve();
    }
    return this.track(this.post(endpoint, delivery).then(() => void this.emit("delivery", delivery)));
  }

  /** Keeps a delivery (or a chain of them) in the set settled() waits for. */
  private track(promise: Promise<void>): Promise<void> {
    const tracked = promise.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
    return tracked;
  }

  private post(endpoint: HookEndpoint, delivery: WebhookDelivery): Promise<void> {
    const target = endpoint.url!;
    const started = Date.now();
    // GitHub's `form` content type posts the JSON as the `payload` field of a form, and signs that body.
    const text = endpoint.contentType === "form" ? new URLSearchParams({ payload: delivery.body }).toString() : delivery.body;
    const body = Buffer.from(text, "utf8");
    const secret = endpoint.secret;
    const headers = {
      "content-type": endpoint.contentType === "form" ? "application/x-www-form-urlencoded" : "application/json",
      "content-length": String(body.length),
      "user-agent": "GitHub-Hookshot/sim",
      "x-github-event": delivery.event,
      "x-github-delivery": delivery.guid,
      "x-github-hook-id": String(endpoint.id),
      "x-github-hook-installation-target-id": String(endpoint.targetId),
      "x-github-hook-installation-target-type": endpoint.targetType,
      // A hook without a secret gets unsigned deliveries, as on GitHub.
      ...(secret ? { "x-hub-signature": signPayload(secret, text, "sha1"), "x-hub-signature-256": signPayload(secret, text) } : {}),
      ...this.options.extraHeaders,
    };
    return new Promise<void>((resolve) => {
      const finish = (statusCode: number | undefined, error?: string) => {
        delivery.durationMs = Date.now() - started;
        if (statusCode !== undefined) delivery.statusCode = statusCode;
        if (error !== undefined) delivery.error = error;
        delivery.state = statusCode !== undefined && statusCode >= 200 && statusCode < 300 ? "delivered" : "failed";
        endpoint.lastResponse = lastResponse(statusCode, error);
        resolve();
      };
      const transport = target.startsWith("https:") ? https : http;
      // A fresh connection per delivery, as GitHub makes: a reused one the receiver just closed would fail it.
      const tls = endpoint.insecureSsl === "1" ? { rejectUnauthorized: false } : {};
      const request = transport.request(
        target,
        { method: "POST", headers, agent: false, timeout: this.options.timeoutMs ?? 10000, ...tls },
        (response) => {
          response.resume();
          response.on("end", () => finish(response.statusCode));
          response.on("error", (error) => finish(response.statusCode, error.message));
        },
      );
      request.on("timeout", () => request.destroy(new Error("timed out")));
      request.on("error", (error) => finish(undefined, error.message));
      request.end(body);
    });
  }
}
