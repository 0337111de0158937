import { corsHeaders, joinVary } from "../../../src/api/cors.js";

describe("corsHeaders", () => {
  const listed = ["https://blog.example.com"];

  it("names a listed origin, with credentials allowed", () => {
    expect(corsHeaders({ origin: "https://blog.example.com", listedOrigins: listed })).toMatchObject({
      "access-control-allow-origin": "https://blog.example.com",
      "access-control-allow-credentials": "true",
      vary: "Origin",
    });
  });

  it("answers any other origin, or none, with * and never with credentials", () => {
    for (const origin of ["https://evil.example", "https://blog.example.com.evil.example", "null", undefined]) {
      const headers = corsHeaders({ origin, listedOrigins: listed });
      expect(headers["access-control-allow-origin"]).toBe("*");
      expect(headers).not.toHaveProperty("access-control-allow-credentials");
      expect(headers.vary).toBe("Origin");
    }
  });
});

describe("joinVary", () => {
  it("keeps each header name once", () => {
    expect(joinVary("Origin", "Authorization")).toBe("Origin, Authorization");
    expect(joinVary("Origin", "Origin, Cookie")).toBe("Origin, Cookie");
    expect(joinVary(undefined, undefined)).toBeUndefined();
  });
});
