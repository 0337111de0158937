import { constantTimeEqual } from "../../../src/auth/constant-time-equal.js";
import { allowedRedirect, withFragment } from "../../../src/auth/redirect-target.js";
import { clearedSessionCookie, readCookie, sessionCookie, sessionCookieName, stateCookie } from "../../../src/auth/session-cookie.js";

const ORIGINS = ["https://site.example", "http://localhost:8080"];

describe("allowedRedirect", () => {
  it("allows absolute URLs on a listed origin", () => {
    expect(allowedRedirect("https://site.example/posts/1?x=1", ORIGINS)?.href).toBe("https://site.example/posts/1?x=1");
    expect(allowedRedirect("http://localhost:8080/", ORIGINS)?.origin).toBe("http://localhost:8080");
  });

  it.each([
    "https://evil.example/",
    "https://site.example.evil.example/",
    "https://site.example:444/",
    "http://site.example/",
    "//site.example/",
    "/relative",
    "javascript:alert(1)//https://site.example",
    "https://user:pw@site.example/",
    "not a url",
  ])("refuses %s", (redirect) => {
    expect(allowedRedirect(redirect, ORIGINS)).toBeUndefined();
  });

  it("refuses one whose encoded form is too long for the state cookie, however short it looks", () => {
    expect(allowedRedirect(`https://site.example/${"a".repeat(1900)}`, ORIGINS)).toBeDefined();
    expect(allowedRedirect(`https://site.example/${"€".repeat(800)}`, ORIGINS)).toBeUndefined();
  });

  it("refuses everything when the repository lists no origin", () => {
    expect(allowedRedirect("https://site.example/", [])).toBeUndefined();
  });
});

describe("withFragment", () => {
  it("puts gitdisk's answer in the fragment, replacing any there", () => {
    expect(withFragment("https://site.example/a?b=1#old", { gitdisk_session: "x.y.z" })).toBe(
      "https://site.example/a?b=1#gitdisk_session=x.y.z",
    );
  });
});

describe("cookies", () => {
  it("are HttpOnly, SameSite=Lax, scoped, and over https Secure and __Host- (no sibling subdomain can plant them)", () => {
    expect(sessionCookie("t", 60, true)).toBe("__Host-gitdisk_session=t; Max-Age=60; Path=/; HttpOnly; Secure; SameSite=Lax");
    expect(stateCookie("s", 600, true)).toBe("__Host-gitdisk_oauth=s; Max-Age=600; Path=/; HttpOnly; Secure; SameSite=Lax");
    expect(sessionCookie("t", 60, false)).toBe("gitdisk_session=t; Max-Age=60; Path=/; HttpOnly; SameSite=Lax");
    expect(stateCookie("s", 600, false)).toBe("gitdisk_oauth=s; Max-Age=600; Path=/v1/auth; HttpOnly; SameSite=Lax");
    expect(clearedSessionCookie(false)).toBe("gitdisk_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax");
  });

  it("are read by name from a Cookie header", () => {
    const SESSION_COOKIE = sessionCookieName(false);
    expect(readCookie("a=1; gitdisk_session=x.y.z; b=2", SESSION_COOKIE)).toBe("x.y.z");
    expect(readCookie("gitdisk_session_old=1", SESSION_COOKIE)).toBeUndefined();
    expect(readCookie("gitdisk_session=", SESSION_COOKIE)).toBeUndefined();
    expect(readCookie(undefined, SESSION_COOKIE)).toBeUndefined();
  });
});

describe("constantTimeEqual", () => {
  it("compares texts of any lengths", () => {
    expect(constantTimeEqual("abc", "abc")).toBe(true);
    expect(constantTimeEqual("abc", "abd")).toBe(false);
    expect(constantTimeEqual("abc", "abcd")).toBe(false);
  });
});
