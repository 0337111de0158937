import { type ErrorCode, type ErrorDetails, isAppError } from "../errors.js";
import { HttpError } from "./http-errors.js";

/** How the data API answers a refusal: the status, the code and message its JSON body names, and fields beside `error`. */
export interface HttpAnswer {
  status: number;
  code: string;
  message: string;
  details: ErrorDetails;
}

/**
 * The status of each domain error, and the code the body names (kept from when the errors carried
 * their statuses, for clients that match on them). Codes the API never meets still get an answer:
 * the table is total, so a new code cannot reach a client as a bare 500.
 */
const HTTP_ANSWERS: Readonly<Record<ErrorCode, { status: number; code: string }>> = {
  "invalid-input": { status: 400, code: "bad_request" },
  "not-found": { status: 404, code: "not_found" },
  forbidden: { status: 403, code: "forbidden" },
  conflict: { status: 409, code: "conflict" },
  "precondition-failed": { status: 412, code: "precondition_failed" },
  "too-large": { status: 413, code: "payload_too_large" },
  "schema-mismatch": { status: 422, code: "unprocessable" },
  "config-invalid": { status: 422, code: "invalid_config" },
  withheld: { status: 503, code: "config_invalid" },
  unavailable: { status: 503, code: "unavailable" },
  "unreadable-record": { status: 500, code: "invalid_record" },
  "not-installed": { status: 403, code: "not_installed" },
  "sync-failed": { status: 502, code: "sync_failed" },
};

/** The answer for a known refusal; undefined for anything else, which is a bug. */
export function httpAnswerOf(error: unknown): HttpAnswer | undefined {
  if (error instanceof HttpError) return { status: error.status, code: error.code, message: error.message, details: {} };
  if (isAppError(error)) return { ...HTTP_ANSWERS[error.code], message: error.message, details: error.details };
  return undefined;
}
