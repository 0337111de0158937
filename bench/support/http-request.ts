/**
 * HTTP with node:http and kept-alive connections, for the loads on both sides: fetch (undici) costs
 * the client several times more CPU per request, enough that at 32–50 requests in flight the load
 * generator, not the server under test, set the pace.
 */
import http from "node:http";

const agent = new http.Agent({ keepAlive: true });

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export function httpRequest(method: string, url: string, headers: Record<string, string> = {}, body?: string): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method, agent, headers: body === undefined ? headers : { ...headers, "content-length": String(Buffer.byteLength(body)) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

export function httpGet(url: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return httpRequest("GET", url, headers);
}
