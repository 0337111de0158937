import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { verify } from "@octokit/webhooks-methods";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { Probot, ProbotOctokit } from "probot";
import type { Simulator } from "../../start-simulator.js";
import { packageFile } from "../../support/package-file.js";

export type TestOctokit = InstanceType<typeof ProbotOctokit>;

/**
 * Octokit as the app gets it, with retries and throttling off so every answer reaches the test at
 * once. The function form matters: Probot passes its own `throttle` options, which would replace
 * an object default and switch the throttling plugin (one write per second) back on.
 */
const QuietOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { ...(options.throttle as object | undefined), enabled: false },
}));

function probotFor(sim: Simulator): Probot {
  return new Probot({
    appId: sim.app.id,
    privateKey: sim.app.privateKey,
    secret: sim.app.webhookSecret,
    baseUrl: sim.apiUrl,
    Octokit: QuietOctokit,
    logLevel: "fatal",
  });
}

/** The app's path: JWT → installation token → an Octokit for that installation (Probot's own auth). */
export async function installationOctokit(sim: Simulator, installationId: number): Promise<TestOctokit> {
  return (await probotFor(sim).auth(installationId)) as TestOctokit;
}

/** The app itself, authenticated with its JWT. */
export async function appOctokit(sim: Simulator): Promise<TestOctokit> {
  return (await probotFor(sim).auth()) as TestOctokit;
}

export function tokenOctokit(sim: Simulator, token: string): TestOctokit {
  return new QuietOctokit({ auth: { token }, baseUrl: sim.apiUrl }) as TestOctokit;
}

/** Octokit's request without a credential, pointed at the simulator: what @octokit/oauth-methods takes as `request`. */
export function anonymousRequest(sim: Simulator): TestOctokit["request"] {
  return new QuietOctokit({ baseUrl: sim.apiUrl }).request;
}

export interface ReceivedWebhook {
  event: string;
  delivery: string;
  signature: string;
  body: string;
  payload: Record<string, unknown>;
  headers: http.IncomingHttpHeaders;
}

/** GitHub's `form` content type: the JSON is the `payload` field of a form. */
function isForm(headers: http.IncomingHttpHeaders): boolean {
  return headers["content-type"] === "application/x-www-form-urlencoded";
}

/** A local endpoint that records webhooks and answers `status`, after `delayMs`. */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  status = 200;
  delayMs = 0;
  url = "";
  private server!: http.Server;
  private readonly timers = new Set<NodeJS.Timeout>();

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    receiver.server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        receiver.received.push({
          event: String(request.headers["x-github-event"]),
          delivery: String(request.headers["x-github-delivery"]),
          signature: String(request.headers["x-hub-signature-256"]),
          body,
          payload: JSON.parse(isForm(request.headers) ? (new URLSearchParams(body).get("payload") ?? "") : body) as Record<string, unknown>,
          headers: request.headers,
        });
        const answer = () => {
          if (response.destroyed) return;
          response.writeHead(receiver.status);
          response.end("ok");
        };
        if (receiver.delayMs === 0) return answer();
        const timer = setTimeout(() => {
          receiver.timers.delete(timer);
          answer();
        }, receiver.delayMs);
        receiver.timers.add(timer);
      });
    });
    await new Promise<void>((resolve) => receiver.server.listen(0, "127.0.0.1", resolve));
    receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/api/github/webhooks`;
    return receiver;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let webhookAjv: Ajv | undefined;
const webhookValidators = new Map<string, ValidateFunction>();

/** Problems with a payload against @octokit/webhooks-schemas' "<event>$<action>" (or "<event>$event") definition. */
export function webhookSchemaErrors(event: string, payload: Record<string, unknown>): string[] {
  if (!webhookAjv) {
    webhookAjv = new Ajv({ strict: false, allErrors: true });
    (addFormatsModule as unknown as (ajv: Ajv) => Ajv)(webhookAjv);
    webhookAjv.addSchema(
      JSON.parse(fs.readFileSync(packageFile("@octokit/webhooks-schemas", "schema.json"), "utf8")) as object,
      "webhooks",
    );
  }
  const definition = typeof payload.action === "string" ? `${event}$${payload.action}` : `${event}$event`;
  let validate = webhookValidators.get(definition);
  if (!validate) {
    validate = webhookAjv.compile({ $ref: `webhooks#/definitions/${definition}` });
    webhookValidators.set(definition, validate);
  }
  return validate(payload) ? [] : (validate.errors ?? []).map((error) => `${definition}${error.instancePath} ${error.message}`);
}

/** Checks a received webhook the way the app does: the signature with the secret, then the payload's schema. */
export async function checkWebhook(secret: string, webhook: ReceivedWebhook): Promise<string[]> {
  const problems = webhookSchemaErrors(webhook.event, webhook.payload);
  if (!(await verify(secret, webhook.body, webhook.signature))) problems.push("signature does not verify");
  return problems;
}

/** `count` small text files under `folder/`. */
export function manyFiles(count: number, folder = "f"): Record<string, string> {
  const result: Record<string, string> = {};
  for (let i = 0; i < count; i++) result[`${folder}/${String(i).padStart(4, "0")}.txt`] = `file ${i}\n`;
  return result;
}
