import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ConfigError } from "../../../src/errors.js";
import { openDatabase } from "../../../src/store/sqlite/open-database.js";
import { makeTempDir } from "../../helpers/temp-dir.js";

describe("the data folder's lock", () => {
  const temp = makeTempDir("gitdisk-lock-");
  afterAll(() => temp.cleanup());
  const lockFile = (dir: string) => path.join(dir, "gitdisk.pid");

  it("refuses a folder another running process holds, naming the folder and its pid", () => {
    const dir = path.join(temp.dir, "held");
    fs.mkdirSync(dir);
    const other = spawn("sleep", ["30"]);
    try {
      fs.writeFileSync(lockFile(dir), `${other.pid}\n`);
      const attempt = () => openDatabase(dir);
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(`DATA_DIR ${dir} is in use by another gitdisk process (pid ${other.pid})`);
    } finally {
      other.kill();
    }
  });

  it("takes over the lock of a process that no longer runs, and lets this process reopen its own folder", () => {
    const dir = path.join(temp.dir, "stale");
    fs.mkdirSync(dir);
    const gone = spawnSync("true");
    fs.writeFileSync(lockFile(dir), `${gone.pid}\n`);
    openDatabase(dir).close();
    expect(fs.readFileSync(lockFile(dir), "utf8")).toBe(`${process.pid}\n`);
    openDatabase(dir).close();
  });

  it("names the folder and the cause when the database cannot be created there", () => {
    const file = path.join(temp.dir, "a-file");
    fs.writeFileSync(file, "");
    const dir = path.join(file, "data");
    const attempt = () => openDatabase(dir);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(new RegExp(`^cannot open the database ${dir}/gitdisk\\.sqlite3 \\(DATA_DIR\\): .*ENOTDIR`));
  });
});
