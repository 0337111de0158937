/**
 * A pass-through proxy between gitdisk and the simulator that names each GraphQL call by its operation.
 * The simulator counts GraphQL by root field only, and the write-back's head lookups and the mirror's
 * blob fetches are both `repository` queries; gitdisk names the write-back's operations `gitdisk…`
 * (src/writeback/branch-client.ts), so this is how the bench tells write-back calls from sync calls.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface GraphqlTap {
  /** host:port to give gitdisk as GHE_HOST. */
  readonly host: string;
  /** GraphQL calls per operation name ("(anonymous)" for unnamed ones) since the last reset. */
  operations(): Record<string, number>;
  reset(): void;
  close(): Promise<void>;
}

const OPERATION_NAME = /^\s*(?:query|mutation)\s+([A-Za-z_][A-Za-z0-9_]*)/;

function operationOf(body: Buffer): string {
  try {
    const { query, operationName } = JSON.parse(body.toString("utf8")) as { query?: string; operationName?: string };
    return operationName ?? OPERATION_NAME.exec(query ?? "")?.[1] ?? "(anonymous)";
  } catch {
    return "(unparsable)";
  }
}

export async function startGraphqlTap(targetUrl: string): Promise<GraphqlTap> {
  const target = new URL(targetUrl);
  let counts = new Map<string, number>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks);
      if (request.method === "POST" && request.url?.startsWith("/api/graphql")) {
        const operation = operationOf(body);
        counts.set(operation, (counts.get(operation) ?? 0) + 1);
      }
      const upstream = http.request(
        {
          host: target.hostname,
          port: target.port,
          method: request.method,
          path: request.url,
          headers: { ...request.headers, host: target.host },
        },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      upstream.on("error", (error) => {
        response.writeHead(502, { "content-type": "text/plain" });
        response.end(String(error));
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    operations: () => Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b))),
    reset: () => {
      counts = new Map();
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
