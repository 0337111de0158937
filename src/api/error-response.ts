import type { Logger } from "probot";
import { type AppError, isAppError } from "../errors.js";
import type { ApiRequest, ApiResponse } from "./api-types.js";
import { MethodNotAllowedError } from "./http-errors.js";

const LOGGED_PATH_CHARS = 300;

/**
 * Maps any failure to `{ "error": { "code", "message" } }` with its status, and logs it once:
 * refusals (4xx) in one line at debug, our own failures at error with the stack. Probot's own line
 * for every request already says at info that it was answered 4xx. An error that is not an AppError
 * is a bug: the client gets a generic 500 and the details stay in the log.
 */
export function errorResponse(error: unknown, request: ApiRequest, log: Logger): ApiResponse {
  const where = { method: request.method, path: request.path.slice(0, LOGGED_PATH_CHARS) };
  if (!isAppError(error)) {
    log.error({ ...where, err: error }, "data API request failed");
    return jsonError(500, "internal", "internal error; the server log has the details");
  }
  if (error.status >= 500) {
    log.error({ ...where, status: error.status, err: error }, "data API request failed");
  } else {
    // Under pino-http's `req`/`res` keys, which Probot's pretty printer leaves out: the message says it all in one line.
    log.debug(
      { req: { method: where.method, url: where.path }, res: { statusCode: error.status, code: error.code } },
      `${where.method} ${where.path} refused: ${error.status} ${error.code}: ${error.message}`,
    );
  }
  const response = jsonError(error.status, error.code, error.message);
  return { ...response, headers: { ...response.headers, ...headersFor(error) } };
}

function headersFor(error: AppError): Record<string, string> {
  if (error instanceof MethodNotAllowedError) return { allow: error.allow.join(", ") };
  if (error.status === 401) return { "www-authenticate": 'Bearer realm="gitdisk"' };
  return {};
}

function jsonError(status: number, code: string, message: string): ApiResponse {
  // A refusal is about this moment (the file may appear with the next push): never cache it.
  return { status, headers: { "cache-control": "no-store" }, body: { error: { code, message } } };
}
