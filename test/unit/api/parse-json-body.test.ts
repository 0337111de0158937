import type { ApiRequest } from "../../../src/api/api-types.js";
import { UnsupportedMediaTypeError } from "../../../src/api/http-errors.js";
import { parseJsonBody } from "../../../src/api/parse-json-body.js";
import { BadRequestError } from "../../../src/errors.js";

function post(body: Buffer | undefined, headers: Record<string, string> = { "content-type": "application/json" }): ApiRequest {
  return { method: "POST", path: "/v1/x", query: "", headers, ...(body ? { body } : {}) };
}

describe("parseJsonBody", () => {
  it("parses JSON declared as application/json or a +json type, with parameters", () => {
    expect(parseJsonBody(post(Buffer.from('{"text":"héllo"}')))).toEqual({ text: "héllo" });
    expect(parseJsonBody(post(Buffer.from("[1]"), { "content-type": "Application/JSON; charset=utf-8" }))).toEqual([1]);
    expect(parseJsonBody(post(Buffer.from("null"), { "content-type": "application/merge-patch+json" }))).toBeNull();
    expect(parseJsonBody(post(Buffer.from('{"n":1.7976931348623157e308,"m":-5e-324}')))).toEqual({ n: Number.MAX_VALUE, m: -5e-324 });
  });

  it.each([
    [{}, "no Content-Type"],
    [{ "content-type": "text/plain" }, "text"],
    [{ "content-type": "application/x-www-form-urlencoded" }, "a form"],
  ])("refuses a body with %j (%s) as 415", (headers, _why) => {
    const request = post(Buffer.from("{}"), headers);
    expect(() => parseJsonBody(request)).toThrow(UnsupportedMediaTypeError);
  });

  it.each([
    [undefined, /empty/],
    [Buffer.alloc(0), /empty/],
    [Buffer.from([0x7b, 0xff, 0x7d]), /UTF-8/],
    [Buffer.from('{"a":'), /not valid JSON/],
    [Buffer.from('{"a":{"big":1e400}}'), /number too large to store \(at "big"\)/],
    [Buffer.from("-1e309"), /number too large to store$/],
  ])("refuses %j with a clear 400", (body, reason) => {
    expect(() => parseJsonBody(post(body))).toThrow(BadRequestError);
    expect(() => parseJsonBody(post(body))).toThrow(reason);
  });
});
