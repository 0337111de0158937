import { envSecondsAsMs, envWholeNumber } from "../../../src/config/env-whole-number.js";
import { ConfigError } from "../../../src/errors.js";

describe("envWholeNumber", () => {
  const rule = { fallback: 7, min: 1, max: 10 };

  it("gives the fallback for an unset or blank variable, and reads digits around spaces", () => {
    expect(envWholeNumber({}, "N", rule)).toBe(7);
    expect(envWholeNumber({ N: "  " }, "N", rule)).toBe(7);
    expect(envWholeNumber({ N: " 10 " }, "N", rule)).toBe(10);
  });

  it.each(["0", "11", "1.5", "-1", "1e1", "0x5", "five"])("refuses N=%s, naming the variable and the range", (value) => {
    const attempt = () => envWholeNumber({ N: value }, "N", rule);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(`N must be a whole number from 1 to 10, got ${JSON.stringify(value)}`);
  });

  it("states an open range when there is no maximum, and the kind of number asked for", () => {
    expect(() => envWholeNumber({ N: "-3" }, "N", { fallback: 0 })).toThrow('N must be a whole number ≥ 0, got "-3"');
    expect(() => envWholeNumber({ P: "x" }, "P", { fallback: 1, min: 1, max: 9, kind: "a digit" })).toThrow(
      'P must be a digit from 1 to 9, got "x"',
    );
  });
});

describe("envSecondsAsMs", () => {
  it("reads whole seconds as milliseconds, the fallback given in milliseconds", () => {
    expect(envSecondsAsMs({}, "T", { fallbackMs: 10_000 })).toBe(10_000);
    expect(envSecondsAsMs({ T: "30" }, "T", { fallbackMs: 10_000, max: 300 })).toBe(30_000);
    expect(() => envSecondsAsMs({ T: "301" }, "T", { fallbackMs: 10_000, max: 300 })).toThrow(/^T must be a whole number from 0 to 300/);
  });
});
