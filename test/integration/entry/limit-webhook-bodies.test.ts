import net from "node:net";
import { sign } from "@octokit/webhooks-methods";
import { Probot, Server } from "probot";
import { limitWebhookBodies } from "../../../src/entry/limit-webhook-bodies.js";
import { captureLog } from "../../helpers/capture-log.js";
import { freePort } from "../../helpers/free-port.js";
import { postWebhookBody } from "../../helpers/post-webhook-body.js";
import { APP_ID, TestOctokit, testPrivateKey, WEBHOOK_SECRET } from "../../helpers/test-probot.js";

const WEBHOOK_PATH = "/api/github/webhooks";
const CAP = 1024 * 1024;

describe("webhook bodies over GitHub's payload cap, through Probot's real server", () => {
  let server: Server;
  let url: string;
  const received: string[] = [];
  const captured = captureLog();

  beforeAll(async () => {
    const port = await freePort();
    server = new Server({
      port,
      host: "127.0.0.1",
      log: captured.log,
      Probot: Probot.defaults({
        appId: APP_ID,
        privateKey: testPrivateKey(),
        secret: WEBHOOK_SECRET,
        log: captured.log,
        Octokit: TestOctokit,
      }),
    });
    await server.load(
      limitWebhookBodies(
        (app) => {
          app.on("push", async (context) => void received.push(context.id));
        },
        { maxBytes: CAP, webhookPath: WEBHOOK_PATH, secret: WEBHOOK_SECRET },
      ),
    );
    await server.start();
    url = `http://127.0.0.1:${port}${WEBHOOK_PATH}`;
  });
  afterAll(async () => {
    await server.stop();
  });

  it("refuses a declared length over the cap at once, before reading any of it, with one log line", async () => {
    const before = captured.lines.length;
    const sent = await postWebhookBody(url, CAP + 1, { declareLength: true });
    expect(sent.status).toBe(413);
    const refusals = captured.lines.slice(before).filter((line) => /payload cap/.test(line.msg));
    expect(refusals).toHaveLength(1);
  });

  // That the process's memory does not grow with such a body is checked on the real server (test/e2e/startup.e2e.test.ts).
  it("refuses a chunked body (no declared length) once it passes the cap", async () => {
    expect(await postWebhookBody(url, 8 * CAP, { declareLength: false })).toEqual({ status: 413 });
  });

  it("refuses it too under every spelling of the webhook path that Probot's middleware takes for it", async () => {
    for (const rawPath of [
      "/api/github/./webhooks",
      "/api/github/x/../webhooks",
      "/api\\github\\webhooks",
      "/api/github/webhooks/",
      "/api/github/webhooks?x=1",
      "/api/github/webhooks?x=/",
    ]) {
      expect({ rawPath, ...(await postWebhookBody(url, CAP + 1, { declareLength: true, rawPath })) }).toEqual({ rawPath, status: 413 });
    }
  });

  it("still delivers a signed payload under the cap, and still refuses a wrong signature", async () => {
    const payload = JSON.stringify({ ref: "refs/heads/main", padding: "p".repeat(CAP / 2) });
    const post = async (signature: string) =>
      (
        await fetch(url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-github-event": "push",
            "x-github-delivery": "small-1",
            "x-hub-signature-256": signature,
          },
          body: payload,
        })
      ).status;
    expect(await post(await sign(WEBHOOK_SECRET, payload))).toBe(200);
    expect(received).toEqual(["small-1"]);
    expect(await post(await sign("development", payload))).toBe(400);
  });

  it("refuses a body whose signature does not match on its bytes, before Probot turns it into a string and an object", async () => {
    const before = captured.lines.length;
    const payload = JSON.stringify({ ref: "refs/heads/main", padding: "p".repeat(CAP / 2) });
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "push",
        "x-github-delivery": "forged-1",
        "x-hub-signature-256": await sign("development", payload),
      },
      body: payload,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: "bad_signature", message: expect.stringMatching(/does not match/) } });
    expect(captured.lines.slice(before).filter((line) => /signature does not match/.test(line.msg))).toHaveLength(1);
    expect(received).not.toContain("forged-1");
  });
  it("holds at most four payload caps of bodies at once: one more delivery is answered 503 until they end", async () => {
    const { hostname, port } = new URL(url);
    // Senders that declare a full cap and then send nothing more: the server reserves room for each.
    const holders = await Promise.all(
      Array.from(
        { length: 4 },
        () =>
          new Promise<net.Socket>((resolve) => {
            const socket = net.connect(Number(port), hostname, () => {
              socket.write(
                `POST ${WEBHOOK_PATH} HTTP/1.1\r\nhost: ${hostname}\r\ncontent-type: application/json\r\ncontent-length: ${CAP}\r\n\r\n{`,
              );
              resolve(socket);
            });
          }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const before = captured.lines.length;
    const busy = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(busy.status).toBe(503);
    expect(busy.headers.get("retry-after")).toBe("5");
    expect(captured.lines.slice(before).filter((line) => /too many bodies in flight/.test(line.msg))).toHaveLength(1);

    for (const socket of holders) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const payload = JSON.stringify({ ref: "refs/heads/main" });
    const delivered = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "push",
        "x-github-delivery": "after-the-crowd",
        "x-hub-signature-256": await sign(WEBHOOK_SECRET, payload),
      },
      body: payload,
    });
    expect(delivered.status).toBe(200);
    expect(received).toContain("after-the-crowd");
  });
});
