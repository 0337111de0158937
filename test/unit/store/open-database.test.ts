import { openDatabase, withoutDiskSync } from "../../../src/store/sqlite/open-database.js";
import { makeTempDir } from "../../helpers/temp-dir.js";

const FULL = 2;
const NORMAL = 1;

describe("withoutDiskSync", () => {
  it("commits without a disk sync inside, and leaves every other commit synced, also when the work throws", () => {
    const temp = makeTempDir();
    const db = openDatabase(temp.dir);
    try {
      expect(db.pragma("synchronous", { simple: true })).toBe(FULL);
      expect(withoutDiskSync(db, () => db.pragma("synchronous", { simple: true }))).toBe(NORMAL);
      expect(db.pragma("synchronous", { simple: true })).toBe(FULL);
      expect(() =>
        withoutDiskSync(db, () => {
          throw new Error("step failed");
        }),
      ).toThrow("step failed");
      expect(db.pragma("synchronous", { simple: true })).toBe(FULL);
    } finally {
      db.close();
      temp.cleanup();
    }
  });
});
