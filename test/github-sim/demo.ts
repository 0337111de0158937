/**
 * `npm run demo`: gitdisk working in one command, no GitHub App needed. Starts the local GitHub
 * simulator with an example content repository, runs the real gitdisk server against it (the
 * same `lib/entry/server.js` that `npm start` runs), installs the app, and prints commands to try.
 * Ctrl-C stops both and removes their temporary folders; `--help` lists the options.
 */
import { type GitdiskProcess, startGitdisk } from "../helpers/gitdisk-process.js";
import { signIn } from "../helpers/sign-in.js";
import { controlHelpLines } from "./control/control-help.js";
import { pushCommand } from "./control/push-command.js";
import { type Simulator, startSimulator } from "./start-simulator.js";
import { parsePort } from "./support/cli-options.js";
import { atExit, stopOnSignals, tempFolder } from "./support/exit-cleanup.js";
import { readCli } from "./support/read-cli.js";
import { runScript } from "./support/run-script.js";

/** Where the demo's sign-in returns: a site at this origin would read the session from the URL's fragment. */
const SITE_ORIGIN = "http://localhost:8080";
const VISITOR = "ada";
const EXAMPLE_FILES: Record<string, string> = {
  "README.md": "# Example site\n\nContent served by gitdisk.\n",
  "content/index.md": "---\ntitle: Home\n---\nWelcome to the example site.\n",
  "content/posts/hello-world.md": "---\ntitle: Hello, world\n---\nThe first post.\n",
  "data/site.json": `${JSON.stringify({ name: "Example site", language: "en" }, null, 2)}\n`,
  ".github/gitdisk.yml": `mirror:\n  exclude: ["drafts/**"]\napi:\n  origins: ["${SITE_ORIGIN}"]\n`,
  "drafts/secret-plan.md": "Not mirrored: excluded by .github/gitdisk.yml.\n",
};
const EDITED_POST = "---\ntitle: Hello, world\n---\nThe first post, edited through the simulator.\n";

const settings = readCli(
  {
    command: "npm run demo --",
    summary: "gitdisk against the local GitHub simulator with an example repository, no GitHub App needed.",
    options: {
      port: { type: "string", value: "PORT", description: "gitdisk's port (default: $PORT, else a free one)" },
      "sim-port": { type: "string", value: "PORT", description: "the simulator's port (default: $SIM_PORT, else a free one)" },
      source: { type: "boolean", description: "run gitdisk from src/ through tsx instead of the build in lib/" },
    },
  },
  (values) => ({
    port: parsePort(values.port, "--port") ?? parsePort(process.env.PORT, "PORT"),
    simPort: parsePort(values["sim-port"], "--sim-port") ?? parsePort(process.env.SIM_PORT, "SIM_PORT") ?? 0,
    entry: values.source ? ("source" as const) : ("build" as const),
  }),
);

const say = (line: string) => process.stdout.write(`${line}\n`);

await runScript("demo", async () => {
  const folders = [tempFolder("github-sim-"), tempFolder("gitdisk-demo-")] as const;
  let sim: Simulator | undefined;
  let gitdisk: GitdiskProcess | undefined;
  const stop = stopOnSignals(async () => {
    await gitdisk?.stop();
    await sim?.close();
  });
  sim = await startSimulator({ port: settings.simPort, dataDir: folders[0] });
  await sim.createRepo({ owner: "octo", name: "site", files: EXAMPLE_FILES });
  gitdisk = await startGitdisk(sim, {
    entry: settings.entry,
    ...(settings.port === undefined ? {} : { port: settings.port }),
    dataDir: folders[1],
    apiKey: `demo-key-${"x".repeat(16)}`,
    signIn: true,
    inheritOutput: true,
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" },
  });
  const child = gitdisk.child;
  atExit(() => child.exitCode === null && child.signalCode === null && child.kill("SIGKILL"));
  child.once("exit", (code) => stop(code ?? 1, `gitdisk exited (${code ?? "signal"})`));

  sim.install("octo", ["site"]);
  await sim.webhooks.settled();

  const base = `${gitdisk.url}/v1/repos/octo/site`;
  // A visitor signs in through the simulated GitHub as a browser would; the demo hands over the session it got.
  const visitor = await signIn(gitdisk.url, sim, { repo: "octo/site", redirect: `${SITE_ORIGIN}/`, user: VISITOR });
  const loginUrl = `${gitdisk.url}/v1/auth/login?repo=octo/site&redirect=${encodeURIComponent(`${SITE_ORIGIN}/`)}`;
  const post = "content/posts/hello-world.md";
  [
    "",
    `gitdisk (${gitdisk.url}) is mirroring octo/site from the local GitHub at ${sim.url}`,
    `  a file:   curl -i ${base}/files/${post}`,
    `  the tree: curl ${base}/tree?prefix=content/`,
    `  status:   curl ${base}/status`,
    `  a write:  curl -X POST -H 'Authorization: Bearer ${gitdisk.apiKey}' -H 'X-Gitdisk-User: octocat' -H 'Content-Type: application/json' \\`,
    `              -d '{"doc":"hello-world"}' '${base}/collections/likes?wait=1'`,
    `  ${VISITOR} signed in with GitHub (the simulator's), and writes as herself with her session:`,
    `            SESSION=${visitor.token}`,
    `            curl -H "Authorization: Bearer $SESSION" ${gitdisk.url}/v1/auth/me`,
    `            curl -X POST -H "Authorization: Bearer $SESSION" -H 'Content-Type: application/json' -d '{"text":"Hi!"}' '${base}/collections/messages?wait=1'`,
    `            (a browser signs in at ${loginUrl}, and lands on ${SITE_ORIGIN}/#gitdisk_session=…;`,
    "             the simulated GitHub approves at once, as monalisa: add &sim_user=<login> to its authorize URL for another visitor)",
    `  push a change to ${post} on the simulated GitHub, then, a moment later, read the file again:`,
    `            ${pushCommand(sim.url, "octo/site", { message: "Edit the first post", files: { [post]: EDITED_POST } })}`,
    `            curl ${base}/files/${post}`,
    `The simulator's control API (GET ${sim.url}/_sim lists it as JSON):`,
    ...controlHelpLines(),
    `Temporary folders, removed on exit: ${folders.join(", ")}`,
    "Ctrl-C stops the demo.",
  ].forEach(say);
});
