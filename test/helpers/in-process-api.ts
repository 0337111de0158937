import { createApiApp } from "../../src/api/api-app.js";
import type { ApiDeps, ApiRequest, ApiResponse, Route } from "../../src/api/api-types.js";
import { bodyTooLarge } from "../../src/api/read-node-body.js";

export interface InProcessRequest extends ApiRequest {
  body?: Buffer;
}

export interface InProcessApi {
  route(request: InProcessRequest): Promise<ApiResponse>;
}

/**
 * The data API's Hono app called in process, as an adapter calls it (the raw target; the body read only
 * when a route asks, 413 past the limit), its answer turned back into an ApiResponse: headers as sent
 * (`content-type`, `content-length` included), a JSON body parsed, any other body as bytes.
 */
export function inProcessApi(deps: ApiDeps, routes?: readonly Route[]): InProcessApi {
  const app = createApiApp(deps, routes);
  return {
    async route({ method, path, query, headers, body }) {
      const sent = Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined);
      // A Fetch Request refuses a GET or HEAD with a body, which a socket carries: readBody still hands it over.
      const bodyAllowed = body !== undefined && method !== "GET" && method !== "HEAD";
      const request = new Request("http://localhost/", { method, headers: sent, ...(bodyAllowed ? { body } : {}) });
      const response = await app.fetch(request, {
        target: query === "" ? path : `${path}?${query}`,
        readBody: async (limit) => {
          if ((body?.length ?? 0) > limit) throw bodyTooLarge(limit);
          return body ?? Buffer.alloc(0);
        },
      });
      return apiResponseOf(response);
    },
  };
}

async function apiResponseOf(response: Response): Promise<ApiResponse> {
  const cookies = response.headers.getSetCookie();
  const headers = Object.fromEntries([...response.headers].filter(([name]) => name !== "set-cookie"));
  const bytes = Buffer.from(await response.arrayBuffer());
  const isJson = headers["content-type"]?.startsWith("application/json") ?? false;
  return {
    status: response.status,
    headers,
    ...(bytes.length === 0 ? {} : { body: isJson ? JSON.parse(bytes.toString("utf8")) : bytes }),
    ...(cookies.length === 0 ? {} : { cookies }),
  };
}
