import { AppError } from "../errors.js";

/** HTTP-only failures of the data API; the general ones (400, 401, 404, 413, …) are in src/errors.ts. */

export class MethodNotAllowedError extends AppError {
  /** Methods the path does answer, for the `Allow` header. */
  readonly allow: readonly string[];

  constructor(method: string, allow: readonly string[]) {
    super(405, "method_not_allowed", `${method} is not allowed here; allowed: ${allow.join(", ")}`);
    this.allow = allow;
  }
}

export class UriTooLongError extends AppError {
  constructor(limit: number) {
    super(414, "uri_too_long", `the URL is longer than ${limit} bytes`);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(message: string) {
    super(415, "unsupported_media_type", message);
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(message: string, cause: unknown) {
    super(503, "unavailable", message, { cause });
  }
}
