import type { ApiRequest } from "../../../src/api/api-types.js";
import { errorResponse } from "../../../src/api/error-response.js";
import { MethodNotAllowedError, UnauthorizedError, UnsupportedMediaTypeError, UriTooLongError } from "../../../src/api/http-errors.js";
import {
  AppError,
  BadRequestError,
  ConfigError,
  ConflictError,
  NotFoundError,
  PayloadTooLargeError,
  PreconditionFailedError,
  UnavailableError,
  UnprocessableError,
} from "../../../src/errors.js";
import { SyncError } from "../../../src/sync/sync-error.js";
import { RecordExistsError } from "../../../src/writeback/accept-write.js";
import { captureLog, DEBUG, ERROR } from "../../helpers/capture-log.js";

const request: ApiRequest = { method: "GET", path: "/v1/repos/o/r/x", query: "", headers: {} };

describe("errorResponse", () => {
  it.each<[string, Error, number, string]>([
    ["invalid input", new BadRequestError("m"), 400, "bad_request"],
    ["a missing thing", new NotFoundError("m"), 404, "not_found"],
    ["a conflict", new ConflictError("m"), 409, "conflict"],
    ["a failed precondition", new PreconditionFailedError("m"), 412, "precondition_failed"],
    ["something too large", new PayloadTooLargeError("m"), 413, "payload_too_large"],
    ["data the schema refuses", new UnprocessableError("m"), 422, "unprocessable"],
    ["an invalid config", new ConfigError("m"), 422, "invalid_config"],
    ["a withheld repository", new AppError("withheld", "m"), 503, "config_invalid"],
    ["a moment of unavailability", new UnavailableError("m"), 503, "unavailable"],
    ["a record file that does not parse", new AppError("unreadable-record", "m"), 500, "invalid_record"],
    ["an app not installed", new AppError("not-installed", "m"), 403, "not_installed"],
    ["a failed sync", new SyncError("m"), 502, "sync_failed"],
    ["a missing key", new UnauthorizedError("m"), 401, "unauthorized"],
    ["a method the path does not answer", new MethodNotAllowedError("PATCH", ["GET"]), 405, "method_not_allowed"],
    ["a long URL", new UriTooLongError(8192), 414, "uri_too_long"],
    ["a body that is not JSON", new UnsupportedMediaTypeError("m"), 415, "unsupported_media_type"],
  ])("answers %s with %d and code %s", (_, error, status, code) => {
    const response = errorResponse(error, request, captureLog().log);
    expect(response).toMatchObject({ status, headers: { "cache-control": "no-store" } });
    expect(response.body).toEqual({ error: { code, message: error.message } });
  });

  it("puts an error's details beside it: a 409 names the record that already stands", () => {
    const response = errorResponse(new RecordExistsError("post-1/zed", "data/likes/post-1/zed.json"), request, captureLog().log);
    expect(JSON.stringify(response.body)).toBe(
      '{"error":{"code":"conflict","message":"record post-1/zed already exists"},"id":"post-1/zed"}',
    );
  });

  it("keeps the log context out of the body", () => {
    const response = errorResponse(new NotFoundError("m", { path: "secret/path" }), request, captureLog().log);
    expect(response.body).toEqual({ error: { code: "not_found", message: "m" } });
  });

  it("adds the headers HTTP asks for: Allow for 405, WWW-Authenticate for 401", () => {
    expect(errorResponse(new MethodNotAllowedError("PATCH", ["GET", "PUT"]), request, captureLog().log).headers).toMatchObject({
      allow: "GET, PUT",
    });
    expect(errorResponse(new UnauthorizedError("m"), request, captureLog().log).headers).toMatchObject({
      "www-authenticate": 'Bearer realm="gitdisk"',
    });
  });

  it("logs refusals at debug and its own failures at error with the stack; an unknown error is a bare 500", () => {
    const captured = captureLog();
    errorResponse(new BadRequestError("no thanks"), request, captured.log);
    errorResponse(new AppError("unreadable-record", "broken"), request, captured.log);
    const unknown = errorResponse(new Error("database password is hunter2"), request, captured.log);
    expect(captured.lines.map((line) => line.level)).toEqual([DEBUG, ERROR, ERROR]);
    expect(captured.lines[1]).toMatchObject({ status: 500, err: { stack: expect.stringContaining("broken") } });
    expect(unknown).toMatchObject({
      status: 500,
      body: { error: { code: "internal", message: "internal error; the server log has the details" } },
    });
  });
});
