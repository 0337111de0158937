import fs from "node:fs";
import path from "node:path";
import { ConfigError } from "../../../src/errors.js";
import { createStore } from "../../../src/store/create-store.js";
import { makeTempDir } from "../../helpers/temp-dir.js";

describe("createStore", () => {
  it("refuses DATABASE_URL with a configuration error rather than silently using the embedded store", () => {
    const temp = makeTempDir();
    const dataDir = path.join(temp.dir, "data");
    try {
      expect(() => createStore({ dataDir, databaseUrl: "postgres://localhost/gitdisk" })).toThrow(ConfigError);
      expect(fs.existsSync(dataDir)).toBe(false);
    } finally {
      temp.cleanup();
    }
  });

  it("opens the embedded store in the data folder when DATABASE_URL is unset", async () => {
    const temp = makeTempDir();
    const dataDir = path.join(temp.dir, "data");
    const store = createStore({ dataDir, databaseUrl: undefined });
    try {
      expect(fs.existsSync(path.join(dataDir, "gitdisk.sqlite3"))).toBe(true);
    } finally {
      await store.close();
      temp.cleanup();
    }
  });
});
