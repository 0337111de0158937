import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApplicationFunction, Logger, Probot } from "probot";
import { answerThenDrain } from "../api/drain-request.js";
import { readNodeBody } from "../api/read-node-body.js";
import { messageOf, PayloadTooLargeError } from "../errors.js";

/** GitHub: "Payloads are capped at 25 MB." Nothing larger can be a genuine delivery. */
export const GITHUB_PAYLOAD_CAP_BYTES = 25 * 1024 * 1024;
/**
 * Bodies are read whole before their signature can be checked, so anyone who can reach the server could
 * make it hold one per connection: all of them together may hold at most this many payload caps. A
 * delivery beyond is answered 503 (GitHub shows it failed; the periodic heal repairs what it carried).
 */
const PAYLOAD_CAPS_IN_FLIGHT = 4;

type NodeMiddleware = (request: IncomingMessage, response: ServerResponse, next?: () => void) => Promise<boolean>;

const decoder = new TextDecoder("utf-8", { fatal: false });

/**
 * The path as Probot's webhook middleware sees it (@octokit/webhooks resolves the URL: dots, `..` and
 * backslashes): every spelling it takes for the webhook path must meet the cap. Undefined when it cannot
 * be parsed, which the middleware refuses without reading the body.
 */
function pathOf(url: string | undefined): string | undefined {
  try {
    // Trailing slashes go before parsing (as the middleware does, e.g. `/webhooks?x=/`) and after (`/webhooks/`).
    return new URL((url ?? "/").replace(/\/+$/, "") || "/", "http://localhost").pathname.replace(/\/+$/, "") || "/";
  } catch {
    return undefined;
  }
}

/** Whether `X-Hub-Signature-256` is the HMAC of the body's bytes under `secret`, compared in constant time. */
function signedWith(secret: string, body: Buffer, header: string | string[] | undefined): boolean {
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(body).digest("hex")}`);
  const given = Buffer.from(typeof header === "string" ? header : "");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function refuseUnsigned(request: IncomingMessage, response: ServerResponse, log: Logger): void {
  log.warn({ path: pathOf(request.url), delivery: request.headers["x-github-delivery"] }, "webhook refused: signature does not match");
  const body = JSON.stringify({
    error: { code: "bad_signature", message: "the X-Hub-Signature-256 of this delivery does not match its body" },
  });
  response.writeHead(400, { "content-type": "application/json" }).end(body);
}

function refuseBusy(request: IncomingMessage, response: ServerResponse, log: Logger): void {
  log.warn({ path: pathOf(request.url), delivery: request.headers["x-github-delivery"] }, "webhook refused: too many bodies in flight");
  const body = JSON.stringify({ error: { code: "unavailable", message: "too many webhook deliveries in flight; retry in a moment" } });
  answerThenDrain(request, response, 503, { "content-type": "application/json", "retry-after": "5" }, body);
}

/** What a body may come to: its declared length, else (chunked) the cap. */
function bytesToReserve(request: IncomingMessage, maxBytes: number): number {
  const declared = Number(request.headers["content-length"]);
  return Number.isSafeInteger(declared) && declared >= 0 ? Math.min(declared, maxBytes) : maxBytes;
}

function refuse(request: IncomingMessage, response: ServerResponse, maxBytes: number, log: Logger): void {
  log.warn(
    { path: pathOf(request.url), contentLength: request.headers["content-length"], maxBytes },
    "webhook refused: body over GitHub's payload cap",
  );
  const body = JSON.stringify({ error: { code: "payload_too_large", message: `webhook payloads are capped at ${maxBytes} bytes` } });
  // The rest of the body is read and discarded, never held, within bounds.
  answerThenDrain(request, response, 413, { "content-type": "application/json" }, body);
}

/**
 * Probot's server runs its webhook middleware before any handler an app adds, and that middleware buffers
 * the whole body before checking its signature, however large. This wraps it: a body over `maxBytes` is
 * refused with 413 as soon as that is known (Content-Length, or the running count of a chunked body),
 * and a smaller one is handed over already read, as the middleware accepts it (`request.body`, a string).
 * With `secret`, a body whose signature does not match is refused here, on its bytes: handing it over would
 * cost many times its size in memory (a string, a parse) for anyone who can reach the server. Bodies being
 * read together may hold PAYLOAD_CAPS_IN_FLIGHT caps at most; one more is answered 503.
 */
export function limitWebhookBodies(
  app: ApplicationFunction,
  { maxBytes, webhookPath, secret }: { maxBytes: number; webhookPath: string; secret?: string },
): ApplicationFunction {
  return (probot: Probot, options) => {
    let inFlight = 0;
    const getNodeMiddleware = probot.getNodeMiddleware.bind(probot);
    probot.getNodeMiddleware = async (middlewareOptions) => {
      const middleware = (await getNodeMiddleware(middlewareOptions)) as NodeMiddleware;
      const limited: NodeMiddleware = async (request, response, next) => {
        if (request.method !== "POST" || pathOf(request.url) !== webhookPath) return middleware(request, response, next);
        const reserved = bytesToReserve(request, maxBytes);
        if (inFlight > 0 && inFlight + reserved > PAYLOAD_CAPS_IN_FLIGHT * maxBytes) {
          refuseBusy(request, response, probot.log);
          return true;
        }
        let body: Buffer;
        inFlight += reserved;
        try {
          body = await readNodeBody(request, maxBytes);
        } catch (error) {
          if (error instanceof PayloadTooLargeError) refuse(request, response, maxBytes, probot.log);
          else probot.log.debug({ err: error }, `webhook body not received: ${messageOf(error)}`);
          return true;
        } finally {
          inFlight -= reserved;
        }
        if (secret !== undefined && !signedWith(secret, body, request.headers["x-hub-signature-256"])) {
          refuseUnsigned(request, response, probot.log);
          return true;
        }
        Object.assign(request, { body: decoder.decode(body) });
        return middleware(request, response, next);
      };
      return limited as Awaited<ReturnType<Probot["getNodeMiddleware"]>>;
    };
    return app(probot, options);
  };
}
