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

  it("lets only one of two processes that find the same stale lock at the same moment take the folder", async () => {
    const module = path.resolve("src/store/sqlite/lock-data-dir.ts");
    // Each waits for the same instant, tries, says how it went, and stays alive (holding what it won) until told to go.
    const contender = (dir: string, at: number) => {
      const child = spawn(
        process.execPath,
        [
          "--import",
          "tsx",
          "--input-type=module",
          "-e",
          `import { lockDataDir } from ${JSON.stringify(module)};
           while (Date.now() < ${at}) {}
           let outcome = "won";
           try { lockDataDir(${JSON.stringify(dir)}); } catch { outcome = "lost"; }
           process.stdout.write(outcome);
           process.stdin.resume().on("end", () => process.exit(0));`,
        ],
        { stdio: ["pipe", "pipe", "inherit"] },
      );
      const outcome = new Promise<string>((resolve, reject) => {
        child.on("error", reject);
        child.stdout.once("data", (data: Buffer) => resolve(data.toString()));
        child.on("exit", (code) => reject(new Error(`a contender exited (${code}) without saying how it went`)));
      });
      return { outcome, release: () => child.stdin.end() };
    };
    for (let round = 0; round < 4; round++) {
      const dir = path.join(temp.dir, `race-${round}`);
      fs.mkdirSync(dir);
      fs.writeFileSync(lockFile(dir), `${spawnSync("true").pid}\n`);
      const at = Date.now() + 2500;
      const contenders = [contender(dir, at), contender(dir, at)];
      const outcomes = await Promise.all(contenders.map((one) => one.outcome));
      for (const one of contenders) one.release();
      expect(outcomes.sort()).toEqual(["lost", "won"]);
    }
  }, 120_000);

  it("names the folder and the cause when the database cannot be created there", () => {
    const file = path.join(temp.dir, "a-file");
    fs.writeFileSync(file, "");
    const dir = path.join(file, "data");
    const attempt = () => openDatabase(dir);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(new RegExp(`^cannot open the database ${dir}/gitdisk\\.sqlite3 \\(DATA_DIR\\): .*ENOTDIR`));
  });
});
