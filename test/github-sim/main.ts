/**
 * `npm run sim`: a standalone simulator for trying gitdisk by hand or driving it from another
 * process through the /_sim control API. Writes the app's private key and a Probot .env file into
 * its data folder and prints them; `--help` lists the options.
 */
import fs from "node:fs";
import path from "node:path";
import { controlHelpLines } from "./control/control-help.js";
import { type Simulator, startSimulator } from "./start-simulator.js";
import { parsePort } from "./support/cli-options.js";
import { stopOnSignals, tempFolder } from "./support/exit-cleanup.js";
import { readCli } from "./support/read-cli.js";
import { runScript } from "./support/run-script.js";

const settings = readCli(
  {
    command: "npm run sim --",
    summary: "A local GitHub (GHES URLs, REST, GraphQL, webhooks) for trying gitdisk offline, driven over HTTP under /_sim.",
    options: {
      port: { type: "string", value: "PORT", description: "listen on this port (default: $PORT, else a free one)" },
      "webhook-url": { type: "string", value: "URL", description: "where the app's webhooks go (settable later: PUT /_sim/webhook)" },
      "webhook-secret": { type: "string", value: "SECRET", description: "the app's webhook secret (default: a random one)" },
      "data-dir": {
        type: "string",
        value: "DIR",
        description: "repositories, the app's key and gitdisk.env go here, kept on exit (default: a temporary folder, removed on exit)",
      },
    },
    notes: ["Repository webhooks (token mode): POST /api/v3/repos/{owner}/{repo}/hooks with the printed personal access token."],
  },
  (values) => ({
    port: parsePort(values.port, "--port") ?? parsePort(process.env.PORT, "PORT") ?? 0,
    webhookUrl: values["webhook-url"],
    webhookSecret: values["webhook-secret"],
    dataDir: values["data-dir"],
  }),
);

await runScript("github-sim", async () => {
  // A folder the user named is theirs to keep; one we made is removed on every way out.
  const dataDir = settings.dataDir ?? tempFolder("github-sim-");
  let sim: Simulator | undefined;
  stopOnSignals(async () => sim?.close());
  sim = await startSimulator({
    port: settings.port,
    dataDir,
    ...(settings.webhookUrl ? { webhookUrl: settings.webhookUrl } : {}),
    ...(settings.webhookSecret ? { webhookSecret: settings.webhookSecret } : {}),
  });
  const keyPath = path.join(dataDir, "app-private-key.pem");
  const envPath = path.join(dataDir, "gitdisk.env");
  fs.writeFileSync(keyPath, sim.app.privateKey, { mode: 0o600 });
  const env = { ...sim.env(), PRIVATE_KEY: undefined, PRIVATE_KEY_PATH: keyPath };
  const envLines = Object.entries(env).flatMap(([key, value]) => (value === undefined ? [] : [`${key}=${value}`]));
  fs.writeFileSync(envPath, `${envLines.join("\n")}\n`, { mode: 0o600 });

  const lines = [
    `GitHub simulator listening on ${sim.url}`,
    `  REST     ${sim.apiUrl}`,
    `  GraphQL  ${sim.graphqlUrl}`,
    `  app id ${sim.app.id}, slug ${sim.app.slug}, user ${sim.user}`,
    `  personal access token  ${sim.personalAccessToken}   (${sim.user}, sees every repository: token mode, repository webhooks)`,
    `  app webhook secret     ${sim.app.webhookSecret}`,
    `  private key  ${keyPath}`,
    `  env file     ${envPath}   (GHE_HOST=${sim.host} GHE_PROTOCOL=http APP_ID WEBHOOK_SECRET PRIVATE_KEY_PATH)`,
    `  data folder  ${dataDir}   ${settings.dataDir ? "(yours: kept on exit)" : "(temporary: removed on exit)"}`,
    `  app webhooks go to ${sim.webhooks.targetUrl ?? '(nowhere yet: PUT /_sim/webhook {"url": …})'}`,
    `Control API (JSON; GET ${sim.url}/_sim lists it too):`,
    ...controlHelpLines(),
    "Ctrl-C stops the simulator.",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
});
