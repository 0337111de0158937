import type { GithubUser } from "../../../src/auth/github-user.js";
import { profileRefresher } from "../../../src/auth/refresh-profile.js";
import type { RepoConfig } from "../../../src/config/repo-config.js";
import { captureLog } from "../../helpers/capture-log.js";
import { createHarness, file, type Harness, REPO_ID, TEST_CONFIG } from "./writeback-harness.js";

const OCTO: GithubUser = {
  login: "Octo",
  id: 1,
  name: "Octo Cat",
  avatar_url: "https://avatars.example/1",
  html_url: "https://github.com/Octo",
};
const T0 = Date.UTC(2025, 0, 1);

describe("refreshing a visitor's profile at sign-in", () => {
  let h: Harness;
  let logged: ReturnType<typeof captureLog>;
  let clock: number;

  beforeEach(async () => {
    h = await createHarness(undefined, [file("schemas/strict-profile.json", JSON.stringify({ type: "object", required: ["handle"] }))]);
    logged = captureLog();
    clock = T0;
  });
  afterEach(async () => {
    await h.close({ crash: true });
  });

  const refresh = () =>
    profileRefresher({ records: h.records, accept: (request) => h.writeback.accept(request), log: logged.log }, () => clock);
  const profile = async () => {
    const repo = await h.repo();
    return (await h.records.read(repo, h.records.locate(repo, "profiles", "octo", false))).data;
  };
  const writes = async () => (await h.writeStore.status(REPO_ID)).pendingWrites;
  const withProfiles = async (profiles: RepoConfig["collections"][string] | undefined) => {
    const { profiles: _, ...others } = TEST_CONFIG.collections;
    await h.store.updateRepo(REPO_ID, { config: { ...TEST_CONFIG, collections: profiles ? { ...others, profiles } : others } });
  };

  it("writes the profile as the visitor, then only when a field changed, keeping the first sign-in and the visitor's own fields", async () => {
    await refresh()(await h.repo(), OCTO);
    expect(await profile()).toEqual({
      login: "Octo",
      name: "Octo Cat",
      avatar_url: "https://avatars.example/1",
      html_url: "https://github.com/Octo",
      first_sign_in_at: "2025-01-01T00:00:00.000Z",
      _author: "octo",
    });
    const [write] = await h.writeStore.overlayUnder(REPO_ID, "data/users/", clock);
    expect(write).toMatchObject({ actor: "session:octo", user: "octo" });

    await h.writeback.accept({
      repo: await h.repo(),
      collection: "profiles",
      action: "replace",
      id: "octo",
      data: { ...(await profile()), bio: "cats" },
      writer: { kind: "visitor", login: "octo" },
      actor: "session:octo",
    });
    clock += 86_400_000;
    await refresh()(await h.repo(), OCTO);
    expect(await writes()).toBe(2);
    await refresh()(await h.repo(), { ...OCTO, name: "Octo" });
    expect(await writes()).toBe(3);
    expect(await profile()).toMatchObject({ name: "Octo", bio: "cats", first_sign_in_at: "2025-01-01T00:00:00.000Z" });
  });

  it("writes nothing when the site turned profiles off", async () => {
    await withProfiles(undefined);
    await refresh()(await h.repo(), OCTO);
    expect(await writes()).toBe(0);
  });

  it("logs a refusal (the collection's rule, its schema) and lets the sign-in go on", async () => {
    await withProfiles({ path: "data/users", id: "{user}", write: "site" });
    await expect(refresh()(await h.repo(), OCTO)).resolves.toBeUndefined();
    await withProfiles({ path: "data/users", id: "{user}", write: "owner", schema: "schemas/strict-profile.json" });
    await expect(refresh()(await h.repo(), OCTO)).resolves.toBeUndefined();
    expect(await writes()).toBe(0);
    expect(logged.lines.map((line) => line.msg)).toEqual([
      "profile not refreshed: collection profiles has write: site: only the site's keys write it, not a signed-in visitor",
      expect.stringMatching(/^profile not refreshed: .*handle/),
    ]);
  });
});
