import { createHash } from "node:crypto";

/** The SHA-1 git gives a blob with this content: lets us verify and name content without asking GitHub. */
export function gitBlobSha(content: Buffer): string {
  return createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");
}
