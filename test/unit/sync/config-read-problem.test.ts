import YAML from "yaml";
import { configReadProblem } from "../../../src/sync/config-read-problem.js";

const URL = "https://ghe.internal.example/api/v3/repos/octo/site/contents/.github%2Fgitdisk.yml";

/** What Probot's config loader throws for a file it cannot parse: its own words, the URL it read, the YAML error as cause. */
function loaderError(reason: string, cause?: unknown): Error {
  return new Error(
    `[@probot/octokit-plugin-config] Configuration could not be parsed from ${URL} (${reason})`,
    cause === undefined ? undefined : { cause },
  );
}

function yamlError(text: string): unknown {
  try {
    YAML.parse(text, { logLevel: "error" });
  } catch (error) {
    return error;
  }
  throw new Error("expected a YAML error");
}

describe("configReadProblem", () => {
  it("names the line and column of a YAML error, and never the URL the loader read", () => {
    const problem = configReadProblem(loaderError("invalid YAML", yamlError("branch: main\nmirror:\n  include: [unclosed\n")));
    expect(problem).toMatch(/^\.github\/gitdisk\.yml line 4, column 1: invalid YAML: Flow sequence in block collection must be/);
    expect(configReadProblem(loaderError("invalid YAML", yamlError("a: 1\na: 2\n")))).toBe(
      ".github/gitdisk.yml line 2, column 1: invalid YAML: Map keys must be unique",
    );
  });

  it("puts the loader's other complaints in short words without the URL", () => {
    expect(configReadProblem(loaderError("YAML is not an object"))).toBe(
      ".github/gitdisk.yml must be a mapping of keys, not a single value",
    );
    expect(
      configReadProblem(new Error(`[@probot/octokit-plugin-config] ${URL} exists, but is either a directory or a submodule. Ignoring.`)),
    ).toBe(".github/gitdisk.yml is a folder or a submodule, not a file");
    expect(configReadProblem(new Error(`[@probot/octokit-plugin-config] Something new about ${URL}`))).toBe(
      ".github/gitdisk.yml could not be read",
    );
  });

  it("leaves failures that are not the file's fault to be thrown", () => {
    expect(configReadProblem(new TypeError("fetch failed"))).toBeUndefined();
    expect(configReadProblem(Object.assign(new Error("Server Error"), { status: 502 }))).toBeUndefined();
  });
});
