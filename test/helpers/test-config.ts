import type { ApiConfig } from "../../src/config/api-config.js";

/** The data API's settings for a test that builds the API itself: no key, small bodies. */
export function testConfig(overrides: Partial<ApiConfig> = {}): ApiConfig {
  return { apiKey: undefined, maxBodyBytes: 4096, ...overrides };
}
