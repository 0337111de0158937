import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import { createGzip } from "node:zlib";
import tar from "tar-stream";
import { processMemory } from "../../helpers/process-memory.js";
import { makeTempDir } from "../../helpers/temp-dir.js";

const MiB = 1024 * 1024;
const COPIES = 40;

/** A tarball as GitHub serves it of `COPIES` paths sharing one 8 MiB blob: 320 MiB unpacked, a few MiB gzipped. */
async function writeSharedBlobTarball(file: string): Promise<void> {
  const block = createHash("sha512").update("shared blob").digest();
  const content = Buffer.alloc(8 * MiB);
  for (let offset = 0; offset < content.length; offset += block.length) block.copy(content, offset);
  const pack = tar.pack();
  const written = pipeline(pack, createGzip({ level: 1 }), fs.createWriteStream(file));
  pack.entry({ name: "o-r-abc1234/", type: "directory" });
  for (let i = 0; i < COPIES; i++) {
    await new Promise<void>((resolve, reject) =>
      pack.entry({ name: `o-r-abc1234/copies/${i}.bin`, size: content.length }, content, (error) => (error ? reject(error) : resolve())),
    );
  }
  pack.finalize();
  await written;
}

describe("a full mirror's memory", () => {
  const temp = makeTempDir("gitdisk-tarball-");
  afterAll(() => temp.cleanup());

  it("stays bounded for 40 paths of one 8 MiB blob (320 MiB unpacked): contents are streamed, not gathered", async () => {
    if (processMemory("self") === null) return; // /proc is Linux's
    const tarball = path.join(temp.dir, "shared.tar.gz");
    await writeSharedBlobTarball(tarball);
    const child = path.join(path.dirname(new URL(import.meta.url).pathname), "mirror-tarball-child.ts");
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", child, tarball], { maxBuffer: MiB });
    const outcome = JSON.parse(stdout) as { result: string; files: number; peakRssBytes: number };
    expect(outcome).toMatchObject({ result: "applied", files: COPIES });
    // Gathering the archive took 320 MiB of contents alone; streamed, the process stays near its idle size.
    expect(outcome.peakRssBytes).toBeLessThan(250 * MiB);
  }, 120_000);
});
