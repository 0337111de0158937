import type { IncomingHttpHeaders, IncomingMessage } from "node:http";

export interface SimRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const DOCS = "https://docs.github.com/enterprise-server@3.19/rest";

/** An answer other than success, with GitHub's error body ({ message, documentation_url, status }). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }

  toResponse(): SimResponse {
    return jsonResponse(
      this.status,
      { message: this.message, ...this.extra, documentation_url: DOCS, status: String(this.status) },
      this.headers,
    );
  }
}

export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): SimResponse {
  return {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
    body: Buffer.from(JSON.stringify(value), "utf8"),
  };
}

export function emptyResponse(status: number, headers: Record<string, string> = {}): SimResponse {
  return { status, headers, body: Buffer.alloc(0) };
}

export function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

/** Parses a JSON body; a malformed one is GitHub's 400 "Problems parsing JSON". */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new HttpError(400, "Problems parsing JSON");
  }
}

export interface PageWindow {
  perPage: number;
  page: number;
  /** GitHub's Link header (prev/first/next/last), when there is more than one page. */
  headers: Record<string, string>;
}

/** page / per_page for a list of `total` items, with GitHub's Link header. */
export function pageWindow(total: number, query: URLSearchParams, selfUrl: URL, defaultPerPage = 30, maxPerPage = 100): PageWindow {
  const perPage = Math.min(Math.max(Number(query.get("per_page")) || defaultPerPage, 1), Math.max(maxPerPage, defaultPerPage));
  const page = Math.max(Number(query.get("page")) || 1, 1);
  const last = Math.max(Math.ceil(total / perPage), 1);
  const link = (target: number, rel: string) => {
    const url = new URL(selfUrl);
    url.searchParams.set("per_page", String(perPage));
    url.searchParams.set("page", String(target));
    return `<${url}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, "prev"), link(1, "first"));
  if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
  return { perPage, page, headers: links.length > 0 ? { link: links.join(", ") } : {} };
}

/** One page of an in-memory list. */
export function paginate<T>(
  items: readonly T[],
  query: URLSearchParams,
  selfUrl: URL,
  defaultPerPage = 30,
): { page: T[]; headers: Record<string, string> } {
  const window = pageWindow(items.length, query, selfUrl, defaultPerPage);
  return { page: items.slice((window.page - 1) * window.perPage, window.page * window.perPage), headers: window.headers };
}
