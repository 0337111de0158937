import { BadRequestError, ConfigError } from "../errors.js";
import { normalizeLogin } from "./normalize-login.js";
import { assertSafeId, assertWritableId } from "./record-id-safety.js";

/**
 * A collection's id template (`{doc}/{user}`, `{ulid}`, `post-{slug}`) compiled once: each `/`
 * separated segment is literal text and `{field}` placeholders. The template fixes how many segments
 * an id has, so a value can never add a folder level the template does not have.
 *
 * A placeholder followed by text ends at the first occurrence of that text's first character, which its
 * value may therefore not contain (`{y}-{m}-{slug}`: year and month hold no "-", the slug may). So an id
 * is matched in one pass, never by backtracking, and every id a POST builds is matched back the same way.
 */
export type TemplatePart = { kind: "text"; text: string } | { kind: "field"; name: string; endsBefore: string | undefined };

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
// Names an object's own fields could not hold as data.
const RESERVED_NAMES = new Set(["__proto__", "constructor", "prototype"]);

/** Throws ConfigError saying what is wrong with a template: the message is shown to the repository's owner. */
export function compileIdTemplate(source: string): IdTemplate {
  const refuse = (reason: string) => new ConfigError(`id template ${source}: ${reason}`, { template: source });
  const segments = source.split("/").map((segment) => {
    const parts: TemplatePart[] = [];
    let last = 0;
    for (const match of segment.matchAll(PLACEHOLDER)) {
      if (match.index > last) parts.push(textPart(segment.slice(last, match.index), refuse));
      const previous = parts.at(-1);
      if (previous?.kind === "field")
        throw refuse(`{${previous.name}} and {${match[1]!}} need text between them, or an id could be split between them in several ways`);
      if (RESERVED_NAMES.has(match[1]!)) throw refuse(`{${match[1]!}} cannot name a field`);
      parts.push({ kind: "field", name: match[1]!, endsBefore: undefined });
      last = match.index + match[0].length;
    }
    if (last < segment.length) parts.push(textPart(segment.slice(last), refuse));
    if (parts.length === 0) throw refuse("a segment is empty");
    parts.forEach((part, index) => {
      const next = parts[index + 1];
      if (part.kind === "field" && next?.kind === "text") part.endsBefore = String.fromCodePoint(next.text.codePointAt(0)!);
    });
    return parts;
  });
  const problem = sampleIdProblem(segments);
  if (problem) throw refuse(`every id it builds would be refused (${problem})`);
  return { source, segments };
}

/** What the id made with "x" in every placeholder is refused for: its text alone decides it for any id. */
function sampleIdProblem(segments: TemplatePart[][]): string | undefined {
  const sample = segments.map((parts) => parts.map((part) => (part.kind === "text" ? part.text : "x")).join("")).join("/");
  try {
    assertWritableId(sample);
    return undefined;
  } catch (error) {
    if (error instanceof BadRequestError) return error.message;
    throw error;
  }
}

function textPart(text: string, refuse: (reason: string) => ConfigError): TemplatePart {
  if (/[{}]/.test(text))
    throw refuse(`${JSON.stringify(text)} has a brace that is not part of a {placeholder} (letters, digits, "_" and "-")`);
  return { kind: "text", text };
}

function fieldValue(name: string, values: IdValues): string {
  if (name === "user") return values.user;
  if (name === "ulid") return values.newUlid();
  const value = values.data[name];
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  throw new BadRequestError(`field "${name}" must be a non-empty string or a number: the id template needs it`, { field: name });
}

/** Whether the template has a `{name}` placeholder: `{user}` makes every id name the user a record is of. */
export function hasPlaceholder(template: IdTemplate, name: string): boolean {
  return template.segments.some((parts) => parts.some((part) => part.kind === "field" && part.name === name));
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
        for (const forbidden of ["/", part.endsBefore]) {
          if (forbidden !== undefined && value.includes(forbidden)) {
            throw new BadRequestError(
              `field "${part.name}" may not contain ${JSON.stringify(forbidden)} (the id template ${template.source})`,
              { field: part.name },
            );
          }
        }
        return value;
      })
      .join(""),
  );
  return assertSafeId(segments.join("/"));
}

/**
 * Checks an id given in a URL (PUT, DELETE, GET) against the template and returns it in canonical
 * form (the `{user}` part lower-cased, as POST would have built it) with the field values it encodes;
 * undefined when the template could never have built it. A dangerous id is a 400 either way.
 */
export function fitRecordId(template: IdTemplate, id: string): { id: string; fields: Record<string, string> } | undefined {
  assertSafeId(id);
  const segments = id.split("/");
  if (segments.length !== template.segments.length) return undefined;
  const fields: Record<string, string> = {};
  for (const [index, parts] of template.segments.entries()) {
    const found = matchSegment(parts, segments[index]!);
    if (!found) return undefined;
    for (const [name, value] of found) {
      if ((name === "ulid" && !ULID.test(value)) || (Object.hasOwn(fields, name) && fields[name] !== value)) return undefined;
      fields[name] = value;
    }
  }
  if (fields.user !== undefined) {
    try {
      fields.user = normalizeLogin(fields.user);
    } catch {
      return undefined;
    }
  }
  const canonical = fillTemplate(template, { user: fields.user ?? "", data: fields, newUlid: () => fields.ulid ?? "" });
  return { id: canonical, fields };
}

/** fitRecordId, with an id of another shape a 400: the template could never have built it. */
export function matchRecordId(template: IdTemplate, id: string): { id: string; fields: Record<string, string> } {
  const fitted = fitRecordId(template, id);
  if (!fitted) throw idMisfit(template, id);
  return fitted;
}

/** The 400 for an id the template could never have built. */
export function idMisfit(template: IdTemplate, id: string): BadRequestError {
  return new BadRequestError(`id ${JSON.stringify(id.slice(0, 200))} does not fit the template ${template.source}`, {
    id: id.slice(0, 300),
  });
}

/** One left-to-right pass: text must be where the template puts it, a field runs to its end character. */
function matchSegment(parts: TemplatePart[], segment: string): Array<[string, string]> | undefined {
  const found: Array<[string, string]> = [];
  let at = 0;
  for (const part of parts) {
    if (part.kind === "text") {
      if (!segment.startsWith(part.text, at)) return undefined;
      at += part.text.length;
      continue;
    }
    const end = part.endsBefore === undefined ? segment.length : segment.indexOf(part.endsBefore, at);
    if (end <= at) return undefined;
    found.push([part.name, segment.slice(at, end)]);
    at = end;
  }
  return at === segment.length ? found : undefined;
}
