/**
 * `npm run demo`: gitdisk working in one command, no GitHub App needed. Starts the local GitHub
 * simulator with an example content repository, runs the real gitdisk server against it (the
 * same `lib/entry/server.js` that `npm start` runs), installs the app, and prints URLs to try.
 * Ctrl-C stops both.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { startSimulator } from "./start-simulator.js";

const EXAMPLE_FILES: Record<string, string> = {
  "README.md": "# Example site\n\nContent served by gitdisk.\n",
  "content/index.md": "---\ntitle: Home\n---\nWelcome to the example site.\n",
  "content/posts/hello-world.md": "---\ntitle: Hello, world\n---\nThe first post.\n",
  "data/site.json": JSON.stringify({ name: "Example site", language: "en" }, null, 2) + "\n",
  ".github/gitdisk.yml": "mirror:\n  exclude: [\"drafts/**\"]\n",
  "drafts/secret-plan.md": "Not mirrored: excluded by .github/gitdisk.yml.\n",
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function waitUntilHealthy(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await delay(200);
  }
  throw new Error(`gitdisk did not become healthy at ${url} within ${timeoutMs} ms`);
}

const say = (line: string) => process.stdout.write(line + "\n");

const sim = await startSimulator();
const port = await freePort();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gitdisk-demo-"));
const apiKey = "demo-key-" + "x".repeat(16);
const gitdiskUrl = `http://127.0.0.1:${port}`;

await sim.createRepo({ owner: "octo", name: "site", files: EXAMPLE_FILES });
sim.setWebhookUrl(`${gitdiskUrl}/api/github/webhooks`);

const gitdisk = spawn(process.execPath, ["lib/entry/server.js"], {
  env: { ...process.env, ...sim.env(), PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir, GITDISK_API_KEY: apiKey, LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" },
  stdio: "inherit",
});

async function shutdown(code: number): Promise<never> {
  gitdisk.kill("SIGTERM");
  await sim.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(code);
}
process.once("SIGINT", () => void shutdown(0));
process.once("SIGTERM", () => void shutdown(0));
gitdisk.once("exit", (code) => {
  say(`gitdisk exited (${code ?? "signal"})`);
  void shutdown(code ?? 1);
});

await waitUntilHealthy(`${gitdiskUrl}/healthz`, 30_000);
sim.install("octo", ["site"]);
await sim.webhooks.settled();

const base = `${gitdiskUrl}/v1/repos/octo/site`;
say("");
say(`gitdisk is mirroring octo/site from the local GitHub at ${sim.url}`);
say(`  a file:   curl -i ${base}/files/content/posts/hello-world.md`);
say(`  the tree: curl ${base}/tree?prefix=content/`);
say(`  status:   curl ${base}/status`);
say(`  a write:  curl -X POST -H 'Authorization: Bearer ${apiKey}' -H 'X-Gitdisk-User: octocat' -H 'Content-Type: application/json' \\`);
say(`              -d '{"doc":"hello-world"}' '${base}/collections/likes?wait=1'`);
say(`  push a change to the simulated GitHub (control API), then read the file again:`);
say(`            curl -X POST ${sim.url}/_sim/ (see npm run sim for the control API)`);
say("Ctrl-C stops the demo.");
