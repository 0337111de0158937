import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import type { RecordFormat } from "../config/repo-config.js";
import { BadRequestError, messageOf } from "../errors.js";
import { stableJson } from "./stable-json.js";

/** A record's data: a JSON object. In Markdown collections the `body` field is the document's text. */
export type RecordData = Record<string, unknown>;

export type ParsedRecord = { ok: true; data: RecordData } | { ok: false; problem: string };

const FRONT_MATTER = "---\n";

export function isRecordData(value: unknown): value is RecordData {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The file content of a record: stable JSON, or Markdown with the other fields as YAML front matter. */
export function serializeRecord(format: RecordFormat | undefined, data: RecordData): Buffer {
  if (format !== "markdown") return Buffer.from(stableJson(data), "utf8");
  const { body = "", ...fields } = data;
  if (typeof body !== "string") throw new BadRequestError('field "body" of a Markdown record must be a string');
  const frontMatter = Object.keys(fields).length === 0 ? "" : `${FRONT_MATTER}${stringifyYaml(fields, { sortMapEntries: true })}${FRONT_MATTER}`;
  return Buffer.from(frontMatter + body, "utf8");
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
    const fields: unknown = parseYaml(text.slice(FRONT_MATTER.length, end + 1)) ?? {};
    if (!isRecordData(fields)) return { ok: false, problem: "the front matter is not a YAML mapping" };
    return { ok: true, data: { ...fields, body: text.slice(end + 1 + FRONT_MATTER.length) } };
  } catch (error) {
    return { ok: false, problem: messageOf(error) };
  }
}
