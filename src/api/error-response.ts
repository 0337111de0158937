import type { Logger } from "probot";
import type { ApiRequest, ApiResponse } from "./api-types.js";
import { type HttpAnswer, httpAnswerOf } from "./http-answer.js";
import { MethodNotAllowedError, TooManyRequestsError, UnauthorizedError } from "./http-errors.js";

const LOGGED_PATH_CHARS = 300;

/**
 * Maps any failure to `{ "error": { "code", "message" }, ...details }` with its status, and logs it
 * once: refusals (4xx) in one line at debug, our own failures at error with the stack. Probot's own
 * line for every request already says at info that it was answered 4xx. An error that is neither an
 * AppError nor an HttpError is a bug: the client gets a generic 500 and the details stay in the log.
 */
export function errorResponse(error: unknown, request: ApiRequest, log: Logger): ApiResponse {
  const where = { method: request.method, path: request.path.slice(0, LOGGED_PATH_CHARS) };
  const answer = httpAnswerOf(error);
  if (!answer) {
    log.error({ ...where, err: error }, "data API request failed");
    return jsonError({ status: 500, code: "internal", message: "internal error; the server log has the details", details: {} });
  }
  if (answer.status >= 500) {
    log.error({ ...where, status: answer.status, err: error }, "data API request failed");
  } else {
    // Under pino-http's `req`/`res` keys, which Probot's pretty printer leaves out: the message says it all in one line.
    log.debug(
      { req: { method: where.method, url: where.path }, res: { statusCode: answer.status, code: answer.code } },
      `${where.method} ${where.path} refused: ${answer.status} ${answer.code}: ${answer.message}`,
    );
  }
  const response = jsonError(answer);
  return { ...response, headers: { ...response.headers, ...headersFor(error) } };
}

function headersFor(error: unknown): Record<string, string> {
  if (error instanceof MethodNotAllowedError) return { allow: error.allow.join(", ") };
  if (error instanceof UnauthorizedError) return { "www-authenticate": 'Bearer realm="gitdisk"' };
  if (error instanceof TooManyRequestsError) return { "retry-after": String(error.retryAfterSeconds) };
  return {};
}

function jsonError({ status, code, message, details }: HttpAnswer): ApiResponse {
  // A refusal is about this moment (the file may appear with the next push): never cache it.
  return { status, headers: { "cache-control": "no-store" }, body: { error: { code, message }, ...details } };
}
