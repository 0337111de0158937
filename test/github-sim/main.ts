/**
 * `npm run sim [-- --port 4000] [--webhook-url URL] [--data-dir DIR]`: a standalone simulator for
 * trying gitdisk by hand or driving it from another process through the /_sim control API.
 * Writes the app's private key and a Probot .env file into the data folder and prints them.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { startSimulator } from "./start-simulator.js";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    "webhook-url": { type: "string" },
    "data-dir": { type: "string" },
  },
});

const sim = await startSimulator({
  port: Number(values.port),
  ...(values["webhook-url"] ? { webhookUrl: values["webhook-url"] } : {}),
  ...(values["data-dir"] ? { dataDir: values["data-dir"] } : {}),
});
const outDir = values["data-dir"] ?? fs.mkdtempSync(path.join(process.env.TMPDIR ?? "/tmp", "github-sim-files-"));
const keyPath = path.join(outDir, "app-private-key.pem");
const envPath = path.join(outDir, "gitdisk.env");
fs.writeFileSync(keyPath, sim.app.privateKey, { mode: 0o600 });
const env = { ...sim.env(), PRIVATE_KEY: undefined, PRIVATE_KEY_PATH: keyPath };
fs.writeFileSync(
  envPath,
  Object.entries(env)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${value}`)
    .join("\n") + "\n",
  { mode: 0o600 },
);

const lines = [
  `GitHub simulator listening on ${sim.url}`,
  `  REST     ${sim.apiUrl}`,
  `  GraphQL  ${sim.graphqlUrl}`,
  `  app id ${sim.app.id}, slug ${sim.app.slug}, user ${sim.user}`,
  `  private key  ${keyPath}`,
  `  env file     ${envPath}   (GHE_HOST=${sim.host} GHE_PROTOCOL=http APP_ID WEBHOOK_SECRET PRIVATE_KEY_PATH)`,
  `  personal access token  ${sim.personalAccessToken}`,
  `  webhooks go to ${sim.webhooks.targetUrl ?? "(nowhere yet: PUT /_sim/webhook {\"url\": …})"}`,
  "Control API (JSON):",
  "  GET  /_sim                                   urls, app, env",
  "  POST /_sim/repos                             {owner, name, private?, defaultBranch?, files?}",
  "  POST /_sim/repos/:owner/:repo/push           {branch?, parent?, commits: [{message?, files?: {path: content|null}, renames?}]}",
  "  PUT  /_sim/repos/:owner/:repo/branches/:b    {sha}          DELETE …/branches/:b",
  "  PATCH /_sim/repos/:owner/:repo               {name?, private?, default_branch?}   DELETE /_sim/repos/:owner/:repo",
  "  GET  /_sim/repos/:owner/:repo/tree?ref=      GET …/file?path=&ref=",
  "  POST /_sim/installations                     {account, repositories: \"all\" | [names]}   DELETE /_sim/installations/:account",
  "  PUT  /_sim/webhook                           {url}",
  "  GET  /_sim/webhooks/deliveries   POST /_sim/webhooks/faults {drop?|duplicate?, event?, newGuid?}   POST …/hold   POST …/release {order}",
  "  POST /_sim/faults {endpoint?, kind, times?}   GET|DELETE /_sim/faults   GET|DELETE /_sim/metrics   GET /_sim/violations",
];
process.stdout.write(`${lines.join("\n")}\n`);

const stop = () => {
  void sim.close().then(() => process.exit(0));
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
