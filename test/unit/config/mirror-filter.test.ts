import { createMirrorFilter, sameMirrorSettings, trackedBranch } from "../../../src/config/mirror-filter.js";
import { DEFAULT_REPO_CONFIG } from "../../../src/config/repo-config.js";

describe("createMirrorFilter", () => {
  it("keeps everything by default, dotfiles and .github included", () => {
    const filter = createMirrorFilter(DEFAULT_REPO_CONFIG.mirror);
    for (const path of ["a.md", ".env.example", ".github/gitdisk.yml", "deep/er/.hidden/x"]) expect(filter.acceptsPath(path)).toBe(true);
  });

  it("applies include, then exclude", () => {
    const filter = createMirrorFilter({ include: ["content/**", "*.md"], exclude: ["content/drafts/**", "**/*.tmp"], maxFileBytes: 10 });
    expect(filter.acceptsPath("content/post.md")).toBe(true);
    expect(filter.acceptsPath("README.md")).toBe(true);
    expect(filter.acceptsPath("docs/README.md")).toBe(false);
    expect(filter.acceptsPath("content/drafts/next.md")).toBe(false);
    expect(filter.acceptsPath("content/x.tmp")).toBe(false);
    expect(filter.acceptsPath("src/app.ts")).toBe(false);
  });

  it("never keeps a path the data API could not serve", () => {
    const filter = createMirrorFilter(DEFAULT_REPO_CONFIG.mirror);
    for (const path of ["back\\slash", "ctrl\u0001char", "a//b"]) expect(filter.acceptsPath(path)).toBe(false);
  });

  it("keeps files up to maxFileBytes inclusive", () => {
    const filter = createMirrorFilter({ include: ["**"], exclude: [], maxFileBytes: 5 });
    expect(filter.acceptsSize(5)).toBe(true);
    expect(filter.acceptsSize(6)).toBe(false);
  });

  it("an empty include list keeps nothing", () => {
    expect(createMirrorFilter({ include: [], exclude: [], maxFileBytes: 5 }).acceptsPath("a.md")).toBe(false);
  });
});

describe("sameMirrorSettings / trackedBranch", () => {
  const base = { include: ["**"], exclude: [], maxFileBytes: 10 };
  it("compares include, exclude and maxFileBytes", () => {
    expect(sameMirrorSettings(base, { ...base })).toBe(true);
    expect(sameMirrorSettings(base, { ...base, include: ["docs/**"] })).toBe(false);
    expect(sameMirrorSettings(base, { ...base, exclude: ["x"] })).toBe(false);
    expect(sameMirrorSettings(base, { ...base, maxFileBytes: 11 })).toBe(false);
  });
  it("tracks the configured branch, else the default branch", () => {
    expect(trackedBranch({ branch: "gh-pages" }, "main")).toBe("gh-pages");
    expect(trackedBranch({}, "main")).toBe("main");
  });
});
