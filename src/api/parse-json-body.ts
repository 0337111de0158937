import { BadRequestError, messageOf } from "../errors.js";
import type { RouteContext } from "./api-types.js";
import { UnsupportedMediaTypeError } from "./http-errors.js";
import { jsonNestingExceeds } from "./json-nesting-exceeds.js";

const utf8 = new TextDecoder("utf-8", { fatal: true });
/**
 * Records are flat data, not trees: each level of nesting costs indentation in the written file (a 40 KB
 * body of nested arrays made an 80 MB file), and deep data overflows recursive code further on.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * The request's JSON body, for routes that take one. Refuses, each with its own clear message, a body
 * that is not declared as JSON (415), is empty, is not UTF-8, does not parse or nests deeper than
 * MAX_JSON_DEPTH (400). The type is checked before the body is read; the size limit while it is read.
 */
export async function parseJsonBody({ request, body: readBody }: Pick<RouteContext, "request" | "body">): Promise<unknown> {
  const mediaType = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (mediaType !== "application/json" && !mediaType.endsWith("+json")) {
    throw new UnsupportedMediaTypeError('send the body as JSON with "Content-Type: application/json"');
  }
  const body = await readBody();
  if (body.length === 0) throw new BadRequestError("the request body is empty; send a JSON value");
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new BadRequestError("the request body is not valid UTF-8");
  }
  // Before parsing: JSON.parse takes most of a second over a megabyte of nesting.
  if (jsonNestingExceeds(text, MAX_JSON_DEPTH)) {
    throw new BadRequestError(`the request body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep`, {
      maxDepth: MAX_JSON_DEPTH,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new BadRequestError(`the request body is not valid JSON: ${messageOf(error)}`);
  }
  // 1e400 parses to Infinity, which would be stored as null: refuse rather than change the data.
  const outOfRange = MAY_OVERFLOW.test(text) ? infiniteAt(parsed, "") : undefined;
  if (outOfRange !== undefined) {
    throw new BadRequestError(
      `the request body has a number too large to store${outOfRange === "" ? "" : ` (at "${outOfRange.slice(0, 100)}")`}`,
    );
  }
  return parsed;
}

// Only a three-digit exponent or a 309-digit run can overflow a double: other bodies are not walked.
const MAY_OVERFLOW = /[eE][+-]?\d{3}|\d{309}/;

/** The key of the first number that overflowed ("" for the top level), or undefined when none did. */
function infiniteAt(value: unknown, key: string): string | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? undefined : key;
  if (typeof value !== "object" || value === null) return undefined;
  for (const [childKey, child] of Object.entries(value)) {
    const found = infiniteAt(child, Array.isArray(value) ? key : childKey);
    if (found !== undefined) return found;
  }
  return undefined;
}
