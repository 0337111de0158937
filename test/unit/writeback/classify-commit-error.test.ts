import { AppError, UnavailableError } from "../../../src/errors.js";
import { classifyCommitError, commitErrorReason } from "../../../src/writeback/classify-commit-error.js";

function graphqlError(type: string | undefined, message: string) {
  return Object.assign(new Error(`Request failed due to following response errors:\n - ${message}`), {
    name: "GraphqlResponseError",
    errors: [{ ...(type ? { type } : {}), message, path: ["createCommitOnBranch"] }],
    data: { createCommitOnBranch: null },
  });
}

function httpError(status: number, message = "error") {
  return Object.assign(new Error(message), { name: "HttpError", status });
}

describe("classifyCommitError", () => {
  it("recognises a moved branch head", () => {
    expect(classifyCommitError(graphqlError("STALE_DATA", 'Expected branch to point to "abc" but it did not. Pull and try again.'))).toBe(
      "stale-head",
    );
    expect(classifyCommitError(graphqlError(undefined, 'Expected branch to point to "abc" but it did not. Pull and try again.'))).toBe(
      "stale-head",
    );
  });

  it("recognises a deletion of a file that is already gone", () => {
    const error = graphqlError("UNPROCESSABLE", "A path was requested for deletion which does not exist as of commit oid `abc`");
    expect(classifyCommitError(error)).toBe("missing-deletion");
  });

  it.each([
    graphqlError("NOT_FOUND", "Could not resolve to a Repository with the name 'o/r'."),
    graphqlError("FORBIDDEN", "Resource not accessible by integration"),
    graphqlError("UNPROCESSABLE", "Repository rule violations found\n\nChanges must be made through a pull request."),
    graphqlError(undefined, "Protected branch update failed for refs/heads/main."),
    httpError(401, "Bad credentials"),
    httpError(403, "Resource not accessible by integration"),
    httpError(404, "Not Found"),
  ])("treats %p as permanent", (error) => {
    expect(classifyCommitError(error)).toBe("permanent");
  });

  it.each([
    graphqlError("UNPROCESSABLE", 'Invalid path "data/x/.git/y": path may not contain .git'),
    graphqlError("BAD_USER_INPUT", "The contents of data/x.json are not valid base64."),
    httpError(422, "Validation Failed"),
    httpError(413, "Request Entity Too Large"),
  ])("treats %p as content a smaller batch may get past", (error) => {
    expect(classifyCommitError(error)).toBe("content-refused");
  });

  it.each([
    httpError(500),
    httpError(502),
    httpError(408),
    httpError(429, "Too many requests"),
    httpError(403, "You have exceeded a secondary rate limit"),
    graphqlError("RATE_LIMITED", "API rate limit exceeded"),
    graphqlError("INTERNAL", "Something went wrong while executing your query."),
    Object.assign(new Error("This operation was aborted"), { name: "TimeoutError" }),
    new TypeError("fetch failed"),
  ])("treats %p as an unknown outcome", (error) => {
    expect(classifyCommitError(error)).toBe("unknown");
  });

  it("decides on gitdisk's own errors by their code", () => {
    expect(classifyCommitError(new AppError("not-installed", "the GitHub App is not installed on o/r"))).toBe("permanent");
    expect(classifyCommitError(new UnavailableError("gitdisk is shutting down"))).toBe("unknown");
  });
});

describe("commitErrorReason", () => {
  it("gives GitHub's own messages, with the HTTP status when there is one", () => {
    expect(commitErrorReason(graphqlError("FORBIDDEN", "Resource not accessible by integration"))).toBe(
      "Resource not accessible by integration",
    );
    expect(commitErrorReason(httpError(401, "Bad credentials"))).toBe("HTTP 401: Bad credentials");
    expect(commitErrorReason(new AppError("not-installed", "the GitHub App is not installed on o/r"))).toBe(
      "the GitHub App is not installed on o/r",
    );
  });
});
