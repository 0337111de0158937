/**
 * Typed errors. Each carries the HTTP status it maps to, so the API layer can answer
 * without knowing where the error came from, and structured context for the log line.
 */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly context: Record<string, unknown>;

  constructor(status: number, code: string, message: string, options: { cause?: unknown; context?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.context = options.context ?? {};
  }
}

export class BadRequestError extends AppError {
  constructor(message: string, context?: Record<string, unknown>) {
    super(400, "bad_request", message, context ? { context } : {});
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = "missing or invalid API key") {
    super(401, "unauthorized", message);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string, context?: Record<string, unknown>) {
    super(404, "not_found", message, context ? { context } : {});
  }
}

export class ConflictError extends AppError {
  constructor(message: string, context?: Record<string, unknown>) {
    super(409, "conflict", message, context ? { context } : {});
  }
}

export class PreconditionFailedError extends AppError {
  constructor(message: string, context?: Record<string, unknown>) {
    super(412, "precondition_failed", message, context ? { context } : {});
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message: string, context?: Record<string, unknown>) {
    super(413, "payload_too_large", message, context ? { context } : {});
  }
}

export class UnprocessableError extends AppError {
  constructor(message: string, context?: Record<string, unknown>) {
    super(422, "unprocessable", message, context ? { context } : {});
  }
}

/** Configuration that cannot be used: environment at start-up, or a repository's gitdisk.yml. */
export class ConfigError extends AppError {
  constructor(message: string, context?: Record<string, unknown>) {
    super(422, "invalid_config", message, context ? { context } : {});
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** The HTTP status an Octokit RequestError (or anything shaped like one) carries, if any. */
export function httpStatusOf(error: unknown): number | undefined {
  if (typeof error === "object" && error !== null && "status" in error) {
    const status = (error as { status: unknown }).status;
    if (typeof status === "number") return status;
  }
  return undefined;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
