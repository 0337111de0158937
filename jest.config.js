/** Jest runs the TypeScript sources as ESM (Probot 14 is ESM-only). */
export default {
  testEnvironment: "node",
  // nock's interceptor is reached after Jest's soft clean-up of a file's globals; keep today's behaviour, without a warning per file.
  testEnvironmentOptions: { globalsCleanup: "off" },
  extensionsToTreatAsEsm: [".ts"],
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  transform: { "^.+\\.ts$": ["ts-jest", { useESM: true }] },
  testMatch: ["<rootDir>/test/**/*.test.ts"],
  setupFilesAfterEnv: ["<rootDir>/test/setup.ts"],
  testTimeout: 30000,
};
