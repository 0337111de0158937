import { ConfigError } from "../../../src/errors.js";
import { expectedHeadFor } from "../../../src/writeback/repo-flusher.js";
import { DEFAULT_WRITEBACK_OPTIONS, readWritebackOptions } from "../../../src/writeback/writeback-options.js";

describe("readWritebackOptions", () => {
  it("uses the defaults when nothing is set", () => {
    expect(readWritebackOptions({})).toEqual(DEFAULT_WRITEBACK_OPTIONS);
    expect(DEFAULT_WRITEBACK_OPTIONS).toMatchObject({ flushWindowMs: 2000, maxFilesPerCommit: 500 });
  });

  it("reads the flush window, file cap, wait and stop limits", () => {
    const options = readWritebackOptions({
      GITDISK_FLUSH_WINDOW_MS: "250",
      GITDISK_MAX_FILES_PER_COMMIT: "100",
      GITDISK_WRITE_WAIT_SECONDS: "30",
      GITDISK_STOP_TIMEOUT_SECONDS: "5",
    });
    expect(options).toMatchObject({ flushWindowMs: 250, maxFilesPerCommit: 100, maxWaitMs: 30_000, stopTimeoutMs: 5_000 });
  });

  it.each([
    ["GITDISK_FLUSH_WINDOW_MS", "0"],
    ["GITDISK_MAX_FILES_PER_COMMIT", "5000"],
    ["GITDISK_WRITE_WAIT_SECONDS", "1.5"],
    ["GITDISK_STOP_TIMEOUT_SECONDS", "soon"],
  ])("refuses %s=%s", (name, value) => {
    expect(() => readWritebackOptions({ [name]: value })).toThrow(ConfigError);
  });
});

describe("expectedHeadFor", () => {
  const repo = { branch: "main", sha: "m1" };

  it("expects the mirror's head while no newer one was heard of", () => {
    expect(expectedHeadFor(repo, "main", null)).toBe("m1");
  });

  it("expects the newest head heard of (our last commit, or a push announced before the mirror has it)", () => {
    expect(expectedHeadFor(repo, "main", "heard")).toBe("heard");
  });

  it("knows nothing of a branch the mirror does not track, except what was heard of it", () => {
    expect(expectedHeadFor(repo, "other", null)).toBeNull();
    expect(expectedHeadFor(repo, "other", "x")).toBe("x");
  });
});
