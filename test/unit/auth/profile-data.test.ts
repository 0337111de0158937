import type { GithubUser } from "../../../src/auth/github-user.js";
import { profileData } from "../../../src/auth/refresh-profile.js";

const NOW = Date.UTC(2025, 2, 1, 12, 0, 0);
const OCTO: GithubUser = {
  login: "Octo",
  id: 1,
  name: "Octo Cat",
  avatar_url: "https://avatars.example/u/1",
  html_url: "https://github.com/Octo",
};
const STORED = {
  login: "Octo",
  name: "Octo Cat",
  avatar_url: "https://avatars.example/u/1",
  html_url: "https://github.com/Octo",
  first_sign_in_at: "2024-01-01T00:00:00.000Z",
  _author: "octo",
};

describe("profileData", () => {
  it("makes a first profile with the time of the first sign-in and the visitor as author", () => {
    expect(profileData(undefined, OCTO, NOW)).toEqual({ ...STORED, first_sign_in_at: "2025-03-01T12:00:00.000Z" });
  });

  it("writes nothing when no field it keeps changed", () => {
    expect(profileData({ ...STORED, bio: "mine" }, OCTO, NOW)).toBeUndefined();
  });

  it("refreshes changed fields, keeping the first sign-in and the visitor's own fields", () => {
    expect(profileData({ ...STORED, bio: "mine" }, { ...OCTO, name: null }, NOW)).toEqual({ ...STORED, name: null, bio: "mine" });
    expect(profileData({ ...STORED, avatar_url: "old" }, OCTO, NOW)).toEqual(STORED);
  });

  it("adds what a profile written before lacks: the first sign-in, the author", () => {
    const { first_sign_in_at: _first, ...withoutFirst } = STORED;
    expect(profileData(withoutFirst, OCTO, NOW)).toEqual({ ...STORED, first_sign_in_at: "2025-03-01T12:00:00.000Z" });
    const { _author: _a, ...withoutAuthor } = STORED;
    expect(profileData(withoutAuthor, OCTO, NOW)).toEqual(STORED);
    expect(profileData({ ...STORED, _author: "someone" }, OCTO, NOW)).toEqual(STORED);
  });
});
