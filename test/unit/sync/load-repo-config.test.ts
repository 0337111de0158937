import type { GitHubReader } from "../../../src/sync/github-reader.js";
import { loadRepoConfig } from "../../../src/sync/load-repo-config.js";

type Reader = Pick<GitHubReader, "readConfig" | "fileAt" | "getBlob">;

const objectSchema = Buffer.from('{"type":"object"}');

/** A repository whose config read gives `read`, and whose files are all the same small JSON Schema. */
function reader(
  read: () => Promise<unknown>,
  fileAt: Reader["fileAt"] = async () => ({ size: objectSchema.length, sha: "a".repeat(40), content: objectSchema }),
): Reader {
  return { readConfig: read, fileAt, getBlob: async () => objectSchema };
}

const loaderComplaint = () =>
  Promise.reject(new Error("[@probot/octokit-plugin-config] Configuration could not be parsed from https://x/y (YAML is not an object)"));
const withSchema = { collections: { posts: { path: "content/posts", id: "{slug}", schema: "schemas/post.json", write: "owner" } } };

describe("loadRepoConfig", () => {
  it("returns the owner's mistakes as a problem to show, with the error behind it to log", async () => {
    const complaint = await loadRepoConfig(reader(loaderComplaint), "main");
    expect(complaint).toMatchObject({ ok: false, error: ".github/gitdisk.yml must be a mapping of keys, not a single value" });
    expect(
      await loadRepoConfig(
        reader(async () => ({ mirror: { surprise: 1 } })),
        "main",
      ),
    ).toMatchObject({
      ok: false,
      error: ".github/gitdisk.yml is invalid: mirror.surprise: unknown key",
      cause: expect.objectContaining({ code: "config-invalid" }),
    });
    expect(
      await loadRepoConfig(
        reader(
          async () => withSchema,
          async () => null,
        ),
        "main",
      ),
    ).toMatchObject({
      ok: false,
      error: ".github/gitdisk.yml is invalid: collections.posts.schema: schemas/post.json is not a file on branch main",
    });
  });

  it("throws what is not the file's fault, so the sync fails and logs it with its stack instead of blaming the config", async () => {
    const gitHubDown = Object.assign(new Error("Bad Gateway"), { status: 502 });
    await expect(
      loadRepoConfig(
        reader(() => Promise.reject(gitHubDown)),
        "main",
      ),
    ).rejects.toBe(gitHubDown);
    const bug = new TypeError("cannot read properties of undefined");
    await expect(
      loadRepoConfig(
        reader(() => Promise.reject(bug)),
        "main",
      ),
    ).rejects.toBe(bug);
    await expect(
      loadRepoConfig(
        reader(
          async () => withSchema,
          () => Promise.reject(gitHubDown),
        ),
        "main",
      ),
    ).rejects.toBe(gitHubDown);
  });

  it("reads a valid file, and no file as the defaults", async () => {
    expect(
      await loadRepoConfig(
        reader(async () => withSchema),
        "main",
      ),
    ).toMatchObject({ ok: true, config: { collections: { posts: {} } } });
    expect(
      await loadRepoConfig(
        reader(async () => null),
        "main",
      ),
    ).toMatchObject({ ok: true, config: { collections: { likes: {} } } });
  });
});
