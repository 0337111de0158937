/**
 * `npm run demo`: gitdisk working in one command, no GitHub App needed. Starts the local GitHub
 * simulator with an example content repository, runs the real gitdisk server against it (the
 * same `lib/entry/server.js` that `npm start` runs), installs the app, and prints URLs to try.
 * Ctrl-C stops both.
 */
import { startGitdisk } from "../helpers/gitdisk-process.js";
import { startSimulator } from "./start-simulator.js";

const EXAMPLE_FILES: Record<string, string> = {
  "README.md": "# Example site\n\nContent served by gitdisk.\n",
  "content/index.md": "---\ntitle: Home\n---\nWelcome to the example site.\n",
  "content/posts/hello-world.md": "---\ntitle: Hello, world\n---\nThe first post.\n",
  "data/site.json": JSON.stringify({ name: "Example site", language: "en" }, null, 2) + "\n",
  ".github/gitdisk.yml": "mirror:\n  exclude: [\"drafts/**\"]\n",
  "drafts/secret-plan.md": "Not mirrored: excluded by .github/gitdisk.yml.\n",
};

const say = (line: string) => process.stdout.write(line + "\n");

const sim = await startSimulator();
await sim.createRepo({ owner: "octo", name: "site", files: EXAMPLE_FILES });
const gitdisk = await startGitdisk(sim, {
  entry: "build",
  apiKey: "demo-key-" + "x".repeat(16),
  inheritOutput: true,
  env: { LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" },
});

let stopping = false;
async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await gitdisk.stop();
  await sim.close();
  process.exit(code);
}
process.once("SIGINT", () => void shutdown(0));
process.once("SIGTERM", () => void shutdown(0));
gitdisk.child.once("exit", (code) => {
  if (stopping) return;
  say(`gitdisk exited (${code ?? "signal"})`);
  void shutdown(code ?? 1);
});

sim.install("octo", ["site"]);
await sim.webhooks.settled();

const base = `${gitdisk.url}/v1/repos/octo/site`;
say("");
say(`gitdisk is mirroring octo/site from the local GitHub at ${sim.url}`);
say(`  a file:   curl -i ${base}/files/content/posts/hello-world.md`);
say(`  the tree: curl ${base}/tree?prefix=content/`);
say(`  status:   curl ${base}/status`);
say(`  a write:  curl -X POST -H 'Authorization: Bearer ${gitdisk.apiKey}' -H 'X-Gitdisk-User: octocat' -H 'Content-Type: application/json' \\`);
say(`              -d '{"doc":"hello-world"}' '${base}/collections/likes?wait=1'`);
say(`  push a change to the simulated GitHub (control API), then read the file again:`);
say(`            curl -X POST ${sim.url}/_sim/ (see npm run sim for the control API)`);
say("Ctrl-C stops the demo.");
