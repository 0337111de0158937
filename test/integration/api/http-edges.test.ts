import { createServer, type Server as HttpServer, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import net from "node:net";
import { Probot, Server } from "probot";
import { createApiApp, ownsPath, ROUTES } from "../../../src/api/api-app.js";
import type { Route } from "../../../src/api/api-types.js";
import { createNodeHandler } from "../../../src/api/node-handler.js";
import { applyServerLimits, SERVER_LIMITS } from "../../../src/api/server-limits.js";
import { DEFAULT_REPO_CONFIG } from "../../../src/config/repo-config.js";
import { gitBlobSha } from "../../../src/git/blob-sha.js";
import { createRecordReads } from "../../../src/record-reads/record-reads.js";
import { openSqliteStore } from "../../../src/store/sqlite/sqlite-store.js";
import type { MirrorStore, Store } from "../../../src/store/store.js";
import { captureLog } from "../../helpers/capture-log.js";
import { freePort } from "../../helpers/free-port.js";
import { makeTempDir } from "../../helpers/temp-dir.js";
import { testConfig } from "../../helpers/test-config.js";

/** The default GITDISK_MAX_BODY_BYTES. */
const MAX_BODY_BYTES = 1024 * 1024;
const THREE_MB = Buffer.alloc(3 * 1024 * 1024, "x");
const WRITE_URL = "/v1/repos/octo/site/collections/messages";
const API_KEY = "k".repeat(32);
/** A route that reads its body, as writes do once authenticated (these tests run without a write queue). */
const BODY_URL = "/v1/test/body";
const readsItsBody: Route = {
  method: "POST",
  pattern: BODY_URL,
  handle: async ({ body }) => ({ status: 200, body: { length: (await body()).length } }),
};

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** Whether the server sent 100 Continue. */
  continued: boolean;
}

/** node:http, as an ordinary client: the body written in one piece (or after 100 Continue), the answer read to its end. */
function send(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string | number>; body?: Buffer } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let continued = false;
    const expectsContinue = options.headers?.expect !== undefined;
    const request = httpRequest(
      { host: "127.0.0.1", port, path, method: options.method ?? "GET", headers: options.headers },
      (response) => {
        let body = "";
        response.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body, continued }));
      },
    );
    request.on("error", reject);
    request.on("continue", () => {
      continued = true;
      request.end(options.body);
    });
    if (!expectsContinue) request.end(options.body);
  });
}

/** Raw bytes on a socket, for what no well-behaved client sends; resolves with everything the server answered. */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write(bytes));
    let answer = "";
    socket.setEncoding("latin1").on("data", (chunk: string) => (answer += chunk));
    socket
      .on("end", () => resolve(answer))
      .on("close", () => resolve(answer))
      .on("error", reject);
  });
}

/**
 * An upload over a slow link: the body written 64 KB at a time, as the network takes it, the answer read
 * meanwhile. Says how much of the body went out before the server closed the connection: over a real
 * network, what is still sent after that close comes back as a reset, and clients report a network error.
 */
function slowUpload(port: number, head: string, body: Buffer): Promise<{ answer: string; sent: number }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let answer = "";
    let sent = 0;
    const writeNext = () => {
      if (sent >= body.length || socket.destroyed) return;
      const chunk = body.subarray(sent, sent + 64 * 1024);
      socket.write(chunk, (error) => {
        if (error) return;
        sent += chunk.length;
        setTimeout(writeNext, 2);
      });
    };
    socket.on("connect", () => socket.write(head, writeNext));
    socket.setEncoding("latin1").on("data", (chunk: string) => (answer += chunk));
    socket.on("error", reject).on("close", () => resolve({ answer, sent }));
  });
}

describe("the data API's HTTP edges, on Probot's server", () => {
  let temp: ReturnType<typeof makeTempDir>;
  let opened: Store;
  let store: MirrorStore;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    temp = makeTempDir();
    opened = openSqliteStore(temp.dir);
    store = opened.mirror;
    await store.upsertRepo(
      { id: 1, owner: "octo", name: "site", private: false, defaultBranch: "main", installationId: 1 },
      { branch: "main", config: DEFAULT_REPO_CONFIG },
    );
    const content = Buffer.from("hello");
    await store.applyChanges(1, {
      fromSha: null,
      toSha: "1".repeat(40),
      upserts: [{ path: "a.md", content, sha: gitBlobSha(content), size: 5 }],
      deletes: [],
    });
    const config = testConfig({ apiKey: API_KEY, maxBodyBytes: MAX_BODY_BYTES });
    port = await freePort();
    server = new Server({
      port,
      host: "127.0.0.1",
      log: captureLog().log,
      Probot: Probot.defaults({ githubToken: "unused", secret: "webhook-secret" }),
    });
    const deps = { store, config, log: captureLog().log, records: createRecordReads({ store }) };
    await server.load((_app, { addHandler }) =>
      addHandler(createNodeHandler(createApiApp(deps, [...ROUTES, readsItsBody]), { maxBodyBytes: MAX_BODY_BYTES, log: deps.log })),
    );
    await server.start();
    // Probot's run() does not hand out its server: the data API sets the server's limits at its first request.
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });

  afterAll(async () => {
    await server.stop();
    await opened.close();
    temp.cleanup();
  });

  describe("an oversized body", () => {
    it("sent in one piece by fetch, gets a 413 JSON answer the client can read", async () => {
      const response = await fetch(`http://127.0.0.1:${port}${BODY_URL}`, {
        method: "POST",
        body: THREE_MB,
        headers: { "content-type": "application/json" },
      });
      expect(response.status).toBe(413);
      expect(response.headers.get("connection")).toBe("close");
      expect(await response.json()).toEqual({
        error: { code: "payload_too_large", message: `the request body is larger than ${MAX_BODY_BYTES} bytes` },
      });
    });

    // A raw socket: nock, loaded in every test, intercepts node:http and fetch and hands over their bodies whole.
    it("still being sent when refused, gets the 413, and its connection stays open until the body is sent", async () => {
      for (const framing of [`Content-Length: ${THREE_MB.length}`, "Transfer-Encoding: chunked"]) {
        const head = `POST ${BODY_URL} HTTP/1.1\r\nHost: x\r\n${framing}\r\n\r\n`;
        const body = framing.startsWith("Transfer")
          ? Buffer.from(`300000\r\n${THREE_MB.toString("latin1")}\r\n0\r\n\r\n`, "latin1")
          : THREE_MB;
        const { answer, sent } = await slowUpload(port, head, body);
        expect(sent).toBe(body.length);
        expect(answer).toMatch(/^HTTP\/1\.1 413 Payload Too Large\r\n[\s\S]*\r\nconnection: close\r\n[\s\S]*"code":"payload_too_large"/i);
      }
    });

    it("refused before it is read (no key), gets its answer, and its connection stays open until the body is sent", async () => {
      const head = `POST ${WRITE_URL} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n`;
      const body = Buffer.from(`300000\r\n${THREE_MB.toString("latin1")}\r\n0\r\n\r\n`, "latin1");
      const { answer, sent } = await slowUpload(port, head, body);
      expect(sent).toBe(body.length);
      expect(answer).toMatch(/^HTTP\/1\.1 401 Unauthorized\r\n[\s\S]*\r\nconnection: close\r\n[\s\S]*"code":"unauthorized"/i);
    });

    it("sent in one piece by node:http, declared or chunked, gets the 413 too", async () => {
      const declared = await send(port, BODY_URL, { method: "POST", headers: { "content-length": THREE_MB.length }, body: THREE_MB });
      expect(declared).toMatchObject({ status: 413, headers: { connection: "close" } });
      expect(JSON.parse(declared.body)).toMatchObject({ error: { code: "payload_too_large" } });
      const chunked = await send(port, BODY_URL, { method: "POST", headers: { "transfer-encoding": "chunked" }, body: THREE_MB });
      expect(chunked.status).toBe(413);
    });

    it("announced with Expect: 100-continue gets the 413 without being asked for", async () => {
      const answer = await send(port, BODY_URL, {
        method: "POST",
        headers: { expect: "100-continue", "content-length": THREE_MB.length },
        body: THREE_MB,
      });
      expect(answer).toMatchObject({ status: 413, continued: false });
    });

    it("while a body within the limit is asked for with 100 Continue", async () => {
      const answer = await send(port, WRITE_URL, {
        method: "POST",
        headers: { expect: "100-continue", "content-length": 2 },
        body: Buffer.from("{}"),
      });
      expect(answer.continued).toBe(true);
      // Read and judged: the writes need the key.
      expect(answer.status).toBe(401);
    });
  });

  // On raw sockets: nock's interception of node:http parses outgoing requests with node's default 16 KB header limit.
  describe("URL and header limits", () => {
    it("answers a 20 KB URL with the router's 414 JSON, not node's 431", async () => {
      const answer = await rawExchange(
        port,
        `GET /v1/repos/octo/site/files/${"a/".repeat(10_000)}x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      );
      expect(answer).toMatch(/^HTTP\/1\.1 414 URI Too Long\r\n/);
      expect(answer).toContain('"code":"uri_too_long"');
    });

    it("still answers 431 when the request line and headers together pass the server's limit", async () => {
      const padding = "p".repeat(SERVER_LIMITS.maxHeaderBytes);
      const answer = await rawExchange(port, `GET /v1/repos/octo/site/files/a.md HTTP/1.1\r\nHost: x\r\nX-Padding: ${padding}\r\n\r\n`);
      expect(answer).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    });
  });

  describe("request smuggling", () => {
    it.each([
      ["both Content-Length and Transfer-Encoding", "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n"],
      ["two different Content-Lengths", "Content-Length: 4\r\nContent-Length: 5\r\n"],
    ])("refuses %s with node's 400, handing nothing to the API", async (_, framing) => {
      const answer = await rawExchange(
        port,
        `POST ${WRITE_URL} HTTP/1.1\r\nHost: x\r\n${framing}\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n`,
      );
      expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(answer.match(/HTTP\/1\.1/g)).toHaveLength(1);
    });
  });

  describe("path traversal, in every encoding", () => {
    it.each([
      ["..", "/v1/repos/octo/site/files/../a.md"],
      ["%2e%2e", "/v1/repos/octo/site/files/%2e%2e/a.md"],
      ["%2E%2E", "/v1/repos/octo/site/files/x/%2E%2E/a.md"],
      ["%2f", "/v1/repos/octo/site/files/x%2f..%2fa.md"],
      ["backslash", "/v1/repos/octo/site/files/x\\..\\a.md"],
      ["%5c", "/v1/repos/octo/site/files/x%5c..%5ca.md"],
      ["overlong UTF-8 '.'", "/v1/repos/octo/site/files/%c0%ae%c0%ae/a.md"],
      ["overlong UTF-8 '/'", "/v1/repos/octo/site/files/x%c0%af..%c0%afa.md"],
      [".. in the repository name", "/v1/repos/octo/%2e%2e/files/a.md"],
    ])("refuses %s with 400", async (_, path) => {
      const answer = await send(port, path);
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toMatchObject({ error: { code: "bad_request" } });
    });

    it("decodes a double encoding once: %252e%252e names a file called %2e%2e, never the folder above", async () => {
      const answer = await send(port, "/v1/repos/octo/site/files/x/%252e%252e/a.md");
      expect(answer.status).toBe(404);
      expect(JSON.parse(answer.body).error.message).toBe("x/%2e%2e/a.md is not in the mirror of octo/site");
    });
  });
});

describe("a client sending its headers a byte at a time (slowloris)", () => {
  let server: HttpServer;
  let opened: Store;
  let store: MirrorStore;
  let temp: ReturnType<typeof makeTempDir>;
  let port: number;

  beforeAll(async () => {
    temp = makeTempDir();
    opened = openSqliteStore(temp.dir);
    store = opened.mirror;
    const app = createApiApp({
      store,
      config: testConfig({ maxBodyBytes: MAX_BODY_BYTES }),
      log: captureLog().log,
      records: createRecordReads({ store }),
    });
    const handler = createNodeHandler(app, { maxBodyBytes: MAX_BODY_BYTES, log: captureLog().log });
    // Node checks the timeouts every connectionsCheckingInterval, fixed at construction: short here, so the test is.
    server = createServer({ connectionsCheckingInterval: 50 }, (req, res) => void handler(req, res));
    applyServerLimits(server, {
      owns: ownsPath,
      maxBodyBytes: MAX_BODY_BYTES,
      limits: { ...SERVER_LIMITS, headersTimeoutMs: 400, requestTimeoutMs: 800 },
    });
    port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await opened.close();
    temp.cleanup();
  });

  it("is cut off at the headers timeout, while other requests are answered meanwhile", async () => {
    const slow = net.connect(port, "127.0.0.1");
    const closed = new Promise<string>((resolve) => {
      let answer = "";
      slow.setEncoding("latin1").on("data", (chunk: string) => (answer += chunk));
      slow.on("close", () => resolve(answer));
    });
    const request = `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ${"s".repeat(200)}`;
    let sent = 0;
    const drip = setInterval(() => {
      if (!slow.destroyed && sent < request.length) slow.write(request[sent++]!);
    }, 20);
    try {
      for (let i = 0; i < 5; i++) expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      const started = Date.now();
      expect(await closed).toMatch(/^HTTP\/1\.1 408 Request Timeout/);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(sent).toBeLessThan(request.length);
    } finally {
      clearInterval(drip);
      slow.destroy();
    }
  });

  it("and the production limits bound it too", () => {
    expect(SERVER_LIMITS.headersTimeoutMs).toBeGreaterThan(0);
    expect(SERVER_LIMITS.headersTimeoutMs).toBeLessThanOrEqual(30_000);
    expect(SERVER_LIMITS.requestTimeoutMs).toBeGreaterThanOrEqual(SERVER_LIMITS.headersTimeoutMs);
  });
});
