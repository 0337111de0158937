import fs from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { packageFile } from "../support/package-file.js";

/** The GitHub Enterprise Server release whose REST description the simulator checks requests against. */
export const GHES_VERSION = "3.19";

interface OpenApiOperation {
  requestBody?: { content?: Record<string, { schema?: unknown }> };
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: unknown;
}

export interface EndpointMatch {
  /** "GET /repos/{owner}/{repo}/git/ref/{ref}" */
  key: string;
  template: string;
  /** Decoded path parameters. */
  params: Record<string, string>;
}

interface CompiledTemplate {
  template: string;
  method: string;
  names: string[];
  exact: RegExp;
  /** The last parameter may span slashes (refs like heads/main, file paths). */
  greedy: RegExp;
  literalLength: number;
}

const HTTP_METHODS = new Set(["get", "put", "post", "patch", "delete"]);

/** Parameters that GitHub lets span slashes when the client does not encode them (refs, file paths). */
const SLASHED_PARAMS = new Set(["ref", "path", "basehead", "head", "branch"]);

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function compileTemplate(template: string, method: string): CompiledTemplate {
  const names: string[] = [];
  const pieces = template.split(/(\{[^}]+\})/).filter(Boolean);
  const literalLength = pieces.filter((piece) => !piece.startsWith("{")).join("").length;
  const lastParam = pieces.map((piece) => piece.startsWith("{")).lastIndexOf(true);
  const lastName = pieces[lastParam]?.slice(1, -1) ?? "";
  // A trailing file path may be empty, with or without its slash: /contents and /contents/ list the root folder.
  const optionalPath = template.endsWith("/{path}");
  const build = (greedyLast: boolean) =>
    new RegExp(
      `^${pieces
        .map((piece, index) => {
          if (!piece.startsWith("{")) return escapeRegex(optionalPath && index === lastParam - 1 ? piece.slice(0, -1) : piece);
          const value = greedyLast && index === lastParam && SLASHED_PARAMS.has(lastName) ? "(.+)" : "([^/]+?)";
          return optionalPath && index === lastParam ? `(?:/${value.replace("+", "*")})?` : value;
        })
        .join("")}$`,
    );
  for (const piece of pieces) if (piece.startsWith("{")) names.push(piece.slice(1, -1));
  return { template, method, names, exact: build(false), greedy: build(true), literalLength };
}

function decodeParam(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * GitHub's published REST description (@octokit/openapi): which method + path templates exist,
 * and the JSON schema of each request body. A request matching no template is one GitHub would
 * answer 404, which the simulator reports as a violation.
 */
/**
 * Templates are bucketed by method, first segment and fourth segment ("/repos/{owner}/{repo}/git/…"
 * → "GET repos git"), so a request is tested against a handful of patterns instead of all of them.
 */
function bucketKey(method: string, segments: readonly string[]): string {
  return `${method} ${segments[1] ?? ""} ${segments[4] ?? ""}`;
}

export class OpenApiCatalog {
  private readonly buckets = new Map<string, CompiledTemplate[]>();
  private ajv: Ajv | undefined;
  private readonly validators = new Map<string, ValidateFunction | null>();

  constructor(private readonly document: OpenApiDocument) {
    for (const [template, item] of Object.entries(document.paths)) {
      for (const method of Object.keys(item)) {
        if (!HTTP_METHODS.has(method)) continue;
        const compiled = compileTemplate(template, method.toUpperCase());
        const segments = template.split("/").map((segment) => (segment.includes("{") ? "*" : segment));
        const key = bucketKey(compiled.method, segments);
        this.buckets.set(key, [...(this.buckets.get(key) ?? []), compiled]);
      }
    }
  }

  static load(variant: string = `ghes-${GHES_VERSION}`): OpenApiCatalog {
    const file = packageFile("@octokit/openapi", `generated/${variant}.json`);
    return new OpenApiCatalog(JSON.parse(fs.readFileSync(file, "utf8")) as OpenApiDocument);
  }

  /** Matches a path relative to the API root (e.g. "/repos/o/r/contents/a%2Fb"). */
  match(method: string, apiPath: string): EndpointMatch | null {
    const wanted = method === "HEAD" ? "GET" : method;
    let best: { compiled: CompiledTemplate; values: string[]; greedy: boolean } | undefined;
    const segments = apiPath.split("/");
    const candidates = [segments, [segments[0]!, segments[1]!, "", "", "*"], [segments[0]!, segments[1]!], [segments[0]!, "*"]].flatMap(
      (probe) => this.buckets.get(bucketKey(wanted, probe)) ?? [],
    );
    for (const compiled of new Set(candidates)) {
      for (const greedy of [false, true]) {
        const found = (greedy ? compiled.greedy : compiled.exact).exec(apiPath);
        if (!found) continue;
        // Exact beats slash-spanning; then fewer parameters (compare/{basehead}, Octokit's route, over
        // its alias compare/{base}...{head}); then more literal text.
        const better =
          !best ||
          (best.greedy && !greedy) ||
          (best.greedy === greedy && compiled.names.length < best.compiled.names.length) ||
          (best.greedy === greedy &&
            compiled.names.length === best.compiled.names.length &&
            compiled.literalLength > best.compiled.literalLength);
        if (better) best = { compiled, values: found.slice(1), greedy };
        break;
      }
    }
    if (!best) return null;
    const params: Record<string, string> = {};
    best.compiled.names.forEach((name, index) => {
      params[name] = decodeParam(best.values[index] ?? "");
    });
    return { key: `${wanted} ${best.compiled.template}`, template: best.compiled.template, params };
  }

  /** Validates a JSON request body against the operation's schema; returns GitHub-style problems or null. */
  validateBody(match: EndpointMatch, method: string, body: unknown): string[] | null {
    const cacheKey = match.key;
    let validate = this.validators.get(cacheKey);
    if (validate === undefined) {
      const operation = this.document.paths[match.template]?.[method.toLowerCase()];
      const schema = operation?.requestBody?.content?.["application/json"]?.schema;
      if (schema === undefined) {
        validate = null;
      } else {
        const pointer = ["paths", match.template, method.toLowerCase(), "requestBody", "content", "application/json", "schema"]
          .map((part) => part.replace(/~/g, "~0").replace(/\//g, "~1"))
          .join("/");
        validate = this.validator().compile({ $ref: `openapi#/${pointer}` });
      }
      this.validators.set(cacheKey, validate);
    }
    if (!validate || validate(body)) return null;
    return (validate.errors ?? []).map((error) => `${error.instancePath || "body"} ${error.message ?? "is invalid"}`);
  }

  private validator(): Ajv {
    if (!this.ajv) {
      // OpenAPI 3.0 schemas carry `nullable`, `example` and custom formats; only the structure is checked strictly.
      this.ajv = new Ajv({ strict: false, allErrors: true, logger: false, validateFormats: true });
      const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
      addFormats(this.ajv);
      this.ajv.addSchema(this.document as object, "openapi");
    }
    return this.ajv;
  }
}
