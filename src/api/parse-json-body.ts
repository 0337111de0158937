import { BadRequestError, messageOf } from "../errors.js";
import type { ApiRequest } from "./api-types.js";
import { UnsupportedMediaTypeError } from "./http-errors.js";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The request's JSON body, for routes that take one. Refuses, each with its own clear message, a body
 * that is not declared as JSON (415), is empty, is not UTF-8, or does not parse (400). The size limit
 * is enforced earlier, while the body is read.
 */
export function parseJsonBody(request: ApiRequest): unknown {
  const mediaType = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (mediaType !== "application/json" && !mediaType.endsWith("+json")) {
    throw new UnsupportedMediaTypeError('send the body as JSON with "Content-Type: application/json"');
  }
  if (!request.body || request.body.length === 0) throw new BadRequestError("the request body is empty; send a JSON value");
  let text: string;
  try {
    text = utf8.decode(request.body);
  } catch {
    throw new BadRequestError("the request body is not valid UTF-8");
  }
  let outOfRange: string | undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, (key, value: unknown) => {
      // 1e400 parses to Infinity, which would be stored as null: refuse rather than change the data.
      if (typeof value === "number" && !Number.isFinite(value)) outOfRange ??= key;
      return value;
    });
  } catch (error) {
    throw new BadRequestError(`the request body is not valid JSON: ${messageOf(error)}`);
  }
  if (outOfRange !== undefined) {
    throw new BadRequestError(`the request body has a number too large to store${outOfRange === "" ? "" : ` (at "${outOfRange.slice(0, 100)}")`}`);
  }
  return parsed;
}
