import { isDeepStrictEqual } from "node:util";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { BadRequestError, messageOf, PayloadTooLargeError } from "../errors.js";
import { stableJson } from "./stable-json.js";

/** How a collection stores its records: JSON files, or Markdown with YAML front matter. */
export type RecordFormat = "json" | "markdown";

/** A record's data: a JSON object. In Markdown collections the `body` field is the document's text. */
export type RecordData = Record<string, unknown>;

export type ParsedRecord = { ok: true; data: RecordData } | { ok: false; problem: string };

const FRONT_MATTER = "---\n";
// One line per value (no block scalars, no folding): a value cannot end the front matter early, and the
// YAML is at most about twice the size of the same data's JSON, which bounds its cost (see serializeRecord).
const YAML_OPTIONS = { sortMapEntries: true, blockQuote: false, lineWidth: 0 } as const;
// yaml's own guard against alias bombs ("billion laughs"), said here so it is not lost with a default.
const YAML_PARSE_OPTIONS = { maxAliasCount: 100 } as const;

export function isRecordData(value: unknown): value is RecordData {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The file content of a record: stable JSON, or Markdown with the other fields as YAML front matter.
 * A file over `maxBytes` is a 413, found while writing it, before it is all built. A Markdown record
 * always has its front-matter block, even empty, so a body that starts with `---` stays body; and what
 * is written is read back to the same data, or refused with a 400.
 */
export function serializeRecord(format: RecordFormat | undefined, data: RecordData, maxBytes = Number.POSITIVE_INFINITY): Buffer {
  if (format !== "markdown") return Buffer.from(stableJson(data, maxBytes), "utf8");
  const { body = "", ...fields } = data;
  if (typeof body !== "string") throw new BadRequestError('field "body" of a Markdown record must be a string');
  stableJson(fields, maxBytes); // measured within the budget before YAML, which has no budget of its own, runs
  const yaml = Object.keys(fields).length === 0 ? "" : stringifyYaml(fields, YAML_OPTIONS);
  const file = Buffer.from(`${FRONT_MATTER}${yaml}${FRONT_MATTER}${body}`, "utf8");
  if (file.length > maxBytes) throw new PayloadTooLargeError(`the record's file would be over ${maxBytes} bytes`, { maxBytes });
  const readBack = parseRecord(format, file);
  if (!readBack.ok || !isDeepStrictEqual(readBack.data, { ...fields, body })) {
    throw new BadRequestError(
      "the record would not read back the same from a Markdown file: it holds text YAML or UTF-8 cannot keep as it is (a byte order mark, a lone surrogate)",
    );
  }
  return file;
}

/**
 * A record file's data, for reads. Files are also edited by people, so content that does not parse
 * is reported as such rather than thrown: one bad file must not break a whole listing.
 */
export function parseRecord(format: RecordFormat | undefined, content: Buffer): ParsedRecord {
  const text = content.toString("utf8");
  try {
    if (format !== "markdown") {
      const data: unknown = JSON.parse(text);
      return isRecordData(data) ? { ok: true, data } : { ok: false, problem: "the file does not hold a JSON object" };
    }
    if (!text.startsWith(FRONT_MATTER)) return { ok: true, data: { body: text } };
    const end = text.indexOf(`\n${FRONT_MATTER}`, FRONT_MATTER.length - 1);
    if (end === -1) return { ok: false, problem: "the front matter is not closed by ---" };
    const fields: unknown = parseYaml(text.slice(FRONT_MATTER.length, end + 1), YAML_PARSE_OPTIONS) ?? {};
    if (!isRecordData(fields)) return { ok: false, problem: "the front matter is not a YAML mapping" };
    return { ok: true, data: { ...fields, body: text.slice(end + 1 + FRONT_MATTER.length) } };
  } catch (error) {
    return { ok: false, problem: messageOf(error) };
  }
}
