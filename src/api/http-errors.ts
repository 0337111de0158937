/**
 * Refusals that exist only in HTTP (credentials, methods, URLs, media types), each with its status
 * and the code its JSON body names. What the domain can refuse is an AppError (src/errors.ts).
 */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.status = status;
    this.code = code;
  }
}

export class UnauthorizedError extends HttpError {
  constructor(message: string) {
    super(401, "unauthorized", message);
  }
}

export class MethodNotAllowedError extends HttpError {
  /** Methods the path does answer, for the `Allow` header. */
  readonly allow: readonly string[];

  constructor(method: string, allow: readonly string[]) {
    super(405, "method_not_allowed", `${method} is not allowed here; allowed: ${allow.join(", ")}`);
    this.allow = allow;
  }
}

export class UriTooLongError extends HttpError {
  constructor(limit: number) {
    super(414, "uri_too_long", `the URL is longer than ${limit} bytes`);
  }
}

export class UnsupportedMediaTypeError extends HttpError {
  constructor(message: string) {
    super(415, "unsupported_media_type", message);
  }
}

/** Over a rate limit; `Retry-After` tells when the next request may succeed. */
export class TooManyRequestsError extends HttpError {
  readonly retryAfterSeconds: number;

  constructor(message: string, retryAfterSeconds: number) {
    super(429, "too_many_requests", message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
