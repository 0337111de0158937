/**
 * Why the embedded store is SQLite (better-sqlite3) and not PGlite: the same mirror workload on both,
 * in one run. Prints open time, bulk insert of a 5,000-file mirror, 10,000 point reads and a prefix listing.
 * Run: npx tsx bench/store-engines.ts
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { PGlite } from "@electric-sql/pglite";
import Database from "better-sqlite3";

const FILES = 5000;
const READS = 10000;
const files = Array.from({ length: FILES }, (_, i) => ({
  path: `content/section-${i % 50}/page-${i}.md`,
  sha: i.toString(16).padStart(40, "0"),
  content: Buffer.alloc(2048, i % 256),
}));

async function time<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const start = performance.now();
  const result = await fn();
  return [result, performance.now() - start];
}

async function sqlite(dir: string) {
  const [db, open] = await time(() => {
    const d = new Database(path.join(dir, "s.db"));
    d.pragma("journal_mode = WAL");
    d.pragma("synchronous = FULL");
    d.exec("CREATE TABLE files (path TEXT PRIMARY KEY, sha TEXT, size INT, content BLOB) WITHOUT ROWID");
    return d;
  });
  const insert = db.prepare("INSERT INTO files VALUES (?, ?, ?, ?)");
  const [, load] = await time(() =>
    db.transaction(() => {
      for (const f of files) insert.run(f.path, f.sha, f.content.length, f.content);
    })(),
  );
  const get = db.prepare("SELECT content FROM files WHERE path = ?");
  const [, reads] = await time(() => {
    for (let i = 0; i < READS; i++) get.get(files[(i * 7919) % FILES]!.path);
  });
  const list = db.prepare("SELECT path, sha, size FROM files WHERE path >= ? AND path < ?");
  const [, listing] = await time(() => list.all("content/section-7/", "content/section-7/\u{10FFFF}"));
  db.close();
  return { open, load, reads, listing };
}

async function pglite(dir: string) {
  const [db, open] = await time(async () => {
    const d = new PGlite(path.join(dir, "pg"));
    await d.exec("CREATE TABLE files (path TEXT PRIMARY KEY, sha TEXT, size INT, content BYTEA)");
    return d;
  });
  const [, load] = await time(() =>
    db.transaction(async (tx) => {
      for (const f of files) await tx.query("INSERT INTO files VALUES ($1, $2, $3, $4)", [f.path, f.sha, f.content.length, f.content]);
    }),
  );
  const [, reads] = await time(async () => {
    for (let i = 0; i < READS; i++) await db.query("SELECT content FROM files WHERE path = $1", [files[(i * 7919) % FILES]!.path]);
  });
  const [, listing] = await time(() => db.query("SELECT path, sha, size FROM files WHERE path LIKE 'content/section-7/%'"));
  await db.close();
  return { open, load, reads, listing };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gitdisk-engines-"));
try {
  const results = { "better-sqlite3": await sqlite(dir), "PGlite (WASM Postgres)": await pglite(dir) };
  const rows = Object.entries(results).map(([engine, r]) => ({
    engine,
    "open+schema ms": r.open.toFixed(0),
    [`insert ${FILES} files ms`]: r.load.toFixed(0),
    [`${READS} point reads ms`]: r.reads.toFixed(0),
    "reads/s": Math.round(READS / (r.reads / 1000)),
    "prefix list ms": r.listing.toFixed(1),
  }));
  process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
