import type { RouteContext } from "../../../src/api/api-types.js";
import { UnsupportedMediaTypeError } from "../../../src/api/http-errors.js";
import { MAX_JSON_DEPTH, parseJsonBody } from "../../../src/api/parse-json-body.js";
import { BadRequestError } from "../../../src/errors.js";

type BodyContext = Pick<RouteContext, "request" | "body">;

function post(body: Buffer | undefined, headers: Record<string, string> = { "content-type": "application/json" }): BodyContext {
  return { request: { method: "POST", path: "/v1/x", query: "", headers }, body: async () => body ?? Buffer.alloc(0) };
}

describe("parseJsonBody", () => {
  it("parses JSON declared as application/json or a +json type, with parameters", async () => {
    expect(await parseJsonBody(post(Buffer.from('{"text":"héllo"}')))).toEqual({ text: "héllo" });
    expect(await parseJsonBody(post(Buffer.from("[1]"), { "content-type": "Application/JSON; charset=utf-8" }))).toEqual([1]);
    expect(await parseJsonBody(post(Buffer.from("null"), { "content-type": "application/merge-patch+json" }))).toBeNull();
    expect(await parseJsonBody(post(Buffer.from('{"n":1.7976931348623157e308,"m":-5e-324}')))).toEqual({ n: Number.MAX_VALUE, m: -5e-324 });
  });

  it.each([
    [{}, "no Content-Type"],
    [{ "content-type": "text/plain" }, "text"],
    [{ "content-type": "application/x-www-form-urlencoded" }, "a form"],
  ])("refuses a body with %j (%s) as 415", async (headers, _why) => {
    const request = post(Buffer.from("{}"), headers);
    await expect(parseJsonBody(request)).rejects.toThrow(UnsupportedMediaTypeError);
  });

  it.each([
    [undefined, /empty/],
    [Buffer.alloc(0), /empty/],
    [Buffer.from([0x7b, 0xff, 0x7d]), /UTF-8/],
    [Buffer.from('{"a":'), /not valid JSON/],
    [Buffer.from('{"a":{"big":1e400}}'), /number too large to store \(at "big"\)/],
    [Buffer.from("-1e309"), /number too large to store$/],
  ])("refuses %j with a clear 400", async (body, reason) => {
    await expect(parseJsonBody(post(body))).rejects.toThrow(BadRequestError);
    await expect(parseJsonBody(post(body))).rejects.toThrow(reason);
  });

  const nested = (depth: number, inner = "0") => Buffer.from(`{"a":${"[".repeat(depth - 1)}${inner}${"]".repeat(depth - 1)}}`);

  it("takes data nested up to 32 levels, counting brackets inside strings as text", async () => {
    expect(MAX_JSON_DEPTH).toBe(32);
    expect(await parseJsonBody(post(nested(32)))).toEqual({ a: JSON.parse(`${"[".repeat(31)}0${"]".repeat(31)}`) });
    expect(await parseJsonBody(post(nested(32, '"[[[[{{{{\\"[[["')))).toMatchObject({ a: expect.any(Array) });
  });

  it.each([33, 5_000, 1_000_000])("refuses data nested %i levels deep with a 400 naming the limit", async (depth) => {
    await expect(parseJsonBody(post(nested(depth)))).rejects.toThrow(BadRequestError);
    await expect(parseJsonBody(post(nested(depth)))).rejects.toThrow("the request body nests arrays and objects more than 32 levels deep");
  });

  it("refuses deep data holding a number too large with the depth, not a stack overflow", async () => {
    await expect(parseJsonBody(post(nested(100_000, "1e400")))).rejects.toThrow(/more than 32 levels deep/);
  });

  it("keeps __proto__, constructor and prototype keys as data, never as prototypes", async () => {
    const parsed = (await parseJsonBody(
      post(Buffer.from('{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"polluted":true}}}')),
    )) as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.hasOwn(parsed, "__proto__")).toBe(true);
    expect(parsed.isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
