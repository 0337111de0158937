import { BadRequestError, ConfigError } from "../errors.js";
import { pathProblem } from "../paths.js";
import { normalizeLogin } from "./normalize-login.js";

/**
 * A collection's id template (`{doc}/{user}`, `{ulid}`, `post-{slug}`) compiled once: each `/`
 * separated segment is literal text and `{field}` placeholders. The template fixes how many segments
 * an id has, so a value can never add a folder level the template does not have.
 */
export type TemplatePart = { kind: "text"; text: string } | { kind: "field"; name: string };

export interface IdTemplate {
  source: string;
  segments: TemplatePart[][];
}

/** What fills the placeholders: `{user}` and `{ulid}` are reserved, every other name is a record field. */
export interface IdValues {
  user: string;
  data: Record<string, unknown>;
  newUlid: () => string;
}

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_-]*)\}/g;
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export function compileIdTemplate(source: string): IdTemplate {
  const segments = source.split("/").map((segment) => {
    const parts: TemplatePart[] = [];
    let last = 0;
    for (const match of segment.matchAll(PLACEHOLDER)) {
      if (match.index > last) parts.push({ kind: "text", text: segment.slice(last, match.index) });
      if (parts.at(-1)?.kind === "field") {
        throw new ConfigError(`id template ${source}: two placeholders need text between them`, { template: source });
      }
      parts.push({ kind: "field", name: match[1]! });
      last = match.index + match[0].length;
    }
    if (last < segment.length) parts.push({ kind: "text", text: segment.slice(last) });
    if (parts.length === 0) throw new ConfigError(`id template ${source} has an empty segment`, { template: source });
    return parts;
  });
  return { source, segments };
}

function fieldValue(name: string, values: IdValues): string {
  if (name === "user") return values.user;
  if (name === "ulid") return values.newUlid();
  const value = values.data[name];
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  throw new BadRequestError(`field "${name}" must be a non-empty string or a number: the id template needs it`, { field: name });
}

/** The id of a new record (POST): the template filled from the acting user, a fresh ULID and the record's fields. */
export function buildRecordId(template: IdTemplate, values: IdValues): string {
  return assertWritableId(fillTemplate(template, values));
}

function fillTemplate(template: IdTemplate, values: IdValues): string {
  const segments = template.segments.map((parts) =>
    parts
      .map((part) => {
        if (part.kind === "text") return part.text;
        const value = fieldValue(part.name, values);
        if (value.includes("/")) throw new BadRequestError(`field "${part.name}" may not contain "/"`, { field: part.name });
        return value;
      })
      .join(""),
  );
  return assertSafeId(segments.join("/"));
}

/**
 * Checks an id given in a URL (PUT, DELETE, GET) against the template and returns it in canonical
 * form (the `{user}` part lower-cased, as POST would have built it) with the field values it encodes.
 * An id of another shape is a 400: the template could never have built it.
 */
export function matchRecordId(template: IdTemplate, id: string): { id: string; fields: Record<string, string> } {
  assertSafeId(id);
  const segments = id.split("/");
  const shape = () => new BadRequestError(`id ${JSON.stringify(id.slice(0, 200))} does not fit the template ${template.source}`, { id });
  if (segments.length !== template.segments.length) throw shape();
  const fields: Record<string, string> = {};
  template.segments.forEach((parts, index) => {
    const { pattern, names } = segmentPattern(parts);
    const match = pattern.exec(segments[index]!);
    if (!match) throw shape();
    names.forEach((name, group) => {
      const value = match[group + 1]!;
      if (name === "ulid" && !ULID.test(value)) throw shape();
      if (name in fields && fields[name] !== value) throw shape();
      fields[name] = value;
    });
  });
  if (fields.user !== undefined) fields.user = normalizeLogin(fields.user);
  const canonical = fillTemplate(template, { user: fields.user ?? "", data: fields, newUlid: () => fields.ulid ?? "" });
  return { id: canonical, fields };
}

function segmentPattern(parts: TemplatePart[]): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const source = parts
    .map((part) => {
      if (part.kind === "text") return escapeRegExp(part.text);
      names.push(part.name);
      return "([^/]+?)";
    })
    .join("");
  return { pattern: new RegExp(`^${source}$`, "u"), names };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A record id names a record, not a folder tree: a write may not make one over 255 bytes (each file name also is, by pathProblem). */
const MAX_WRITTEN_ID_BYTES = 255;
// C1 controls (U+0085 is a line break to some tools): git allows them in file names, record ids do not.
const C1_CONTROLS = /[\u0080-\u009f]/;

function unsafeIdProblem(id: string): string | undefined {
  return (
    pathProblem(id) ??
    (id.split("/").some((segment) => segment.toLowerCase() === ".github") ? "path may not touch .github" : undefined) ??
    (C1_CONTROLS.test(id) ? "path contains a control character" : undefined)
  );
}

function refuseIdIf(problem: string | undefined, id: string): string {
  if (problem) throw new BadRequestError(`invalid record id: ${problem}`, { id: id.slice(0, 300) });
  return id;
}

/** 400 for ids that would build a dangerous or unusable path: `..`, absolute, `.git`, `.github`, control characters. */
export function assertSafeId(id: string): string {
  return refuseIdIf(unsafeIdProblem(id), id);
}

/**
 * assertSafeId, and at most 255 bytes in all: for the ids writes create or replace. A longer record
 * already in the repository (named by hand) stays readable and deletable.
 */
export function assertWritableId(id: string): string {
  const tooLong = Buffer.byteLength(id) > MAX_WRITTEN_ID_BYTES ? `id is longer than ${MAX_WRITTEN_ID_BYTES} bytes` : undefined;
  return refuseIdIf(unsafeIdProblem(id) ?? tooLong, id);
}
