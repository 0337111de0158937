import { encodeResponse } from "../../../src/api/encode-response.js";

describe("encodeResponse", () => {
  it("sends JSON values as UTF-8 JSON with their length", () => {
    const encoded = encodeResponse({ status: 200, body: { name: "ü" } });
    expect(encoded.body.toString()).toBe('{"name":"ü"}');
    expect(encoded.headers).toEqual({ "content-type": "application/json; charset=utf-8", "content-length": "13" });
  });

  it("sends buffers and strings as they are, keeping a given content-type", () => {
    const bytes = Buffer.from([0, 1, 2]);
    expect(encodeResponse({ status: 200, body: bytes })).toEqual({
      status: 200,
      headers: { "content-type": "application/octet-stream", "content-length": "3" },
      body: bytes,
    });
    const text = encodeResponse({ status: 200, headers: { "content-type": "text/markdown" }, body: "# hi" });
    expect(text.headers).toEqual({ "content-type": "text/markdown", "content-length": "4" });
    expect(text.body.toString()).toBe("# hi");
  });

  it("sends no body and no length for 204 and 304", () => {
    for (const status of [204, 304]) {
      const encoded = encodeResponse({ status, headers: { etag: '"x"' } });
      expect(encoded.headers).toEqual({ etag: '"x"' });
      expect(encoded.body.length).toBe(0);
    }
  });
});
