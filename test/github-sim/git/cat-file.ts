import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { gitEnvironment } from "./run-git.js";

export type GitObjectType = "blob" | "tree" | "commit" | "tag";

export interface GitObject {
  oid: string;
  type: GitObjectType;
  size: number;
  content: Buffer;
}

interface Pending {
  resolve: (object: GitObject | null) => void;
  reject: (error: Error) => void;
}

/**
 * One long-lived `git cat-file --batch` per repository: every object read (including
 * `<rev>:<path>` lookups) is a line on its stdin instead of a new process, and requests are
 * pipelined, so a GraphQL batch of 100 blobs costs one round trip through the pipe.
 */
export class CatFile {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly queue: Pending[] = [];
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Bytes needed before the head of the queue can complete; avoids re-joining chunks of a large blob. */
  private waitingFor = 0;
  private closed = false;

  constructor(gitDir: string) {
    this.child = spawn("git", ["--git-dir", gitDir, "cat-file", "--batch"], { env: gitEnvironment });
    this.child.stdout.on("data", (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      if (this.buffered >= this.waitingFor) this.drain();
    });
    this.child.stdin.on("error", (error) => this.failAll(error));
    this.child.on("exit", () => this.failAll(new Error(`git cat-file for ${gitDir} exited`)));
  }

  /** Reads an object by id or any revision expression git understands; null when it does not exist. */
  read(spec: string): Promise<GitObject | null> {
    if (this.closed) return Promise.reject(new Error("cat-file is closed"));
    if (spec.includes("\n") || spec.length === 0) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      this.queue.push({ resolve, reject });
      this.child.stdin.write(`${spec}\n`);
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.child.stdin.end();
  }

  private drain(): void {
    for (;;) {
      const pending = this.queue[0];
      if (!pending) return;
      const data = this.peek();
      const newline = data.indexOf(0x0a);
      if (newline < 0) return;
      const header = data.subarray(0, newline).toString("utf8");
      // The spec is echoed back in a "missing" answer and may itself contain spaces.
      if (header.endsWith(" missing") || header.endsWith(" ambiguous")) {
        this.consume(newline + 1);
        this.queue.shift();
        pending.resolve(null);
        continue;
      }
      const parts = header.split(" ");
      const [oid, type, sizeText] = parts;
      const size = Number(sizeText);
      if (parts.length !== 3 || !oid || !Number.isInteger(size)) {
        this.failAll(new Error(`unexpected cat-file header: ${header}`));
        return;
      }
      const end = newline + 1 + size + 1;
      if (data.length < end) {
        this.waitingFor = end;
        return;
      }
      this.waitingFor = 0;
      const content = Buffer.from(data.subarray(newline + 1, newline + 1 + size));
      this.consume(end);
      this.queue.shift();
      pending.resolve({ oid, type: type as GitObjectType, size, content });
    }
  }

  private peek(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  private consume(bytes: number): void {
    const data = this.peek();
    const rest = data.subarray(bytes);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
  }

  private failAll(error: Error): void {
    this.closed = true;
    for (const pending of this.queue.splice(0)) pending.reject(error);
  }
}
