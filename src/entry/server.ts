import { Probot, Server, run } from "probot";
import { createGitdisk, type GitdiskRuntime } from "../app.js";
import { ConfigError } from "../errors.js";
import { GitdiskOctokit } from "../github/gitdisk-octokit.js";

/**
 * `npm start`: the long-running server. With APP_ID (and a private key) it runs as a GitHub App;
 * without, Probot's setup page on http://localhost:3000 registers one from app.yml; with
 * GITHUB_TOKEN it runs in token mode (a personal access token and a repository webhook).
 */
let runtime: GitdiskRuntime | undefined;
const app = createGitdisk({ onReady: (ready) => (runtime = ready) });

async function startTokenMode(githubToken: string): Promise<Server> {
  const { WEBHOOK_SECRET, GHE_HOST, GHE_PROTOCOL, PORT, HOST, WEBHOOK_PROXY_URL } = process.env;
  if (!WEBHOOK_SECRET) throw new ConfigError("WEBHOOK_SECRET is required: set it to the secret of the repository webhook");
  const server = new Server({
    port: Number(PORT) || 3000,
    host: HOST || "localhost",
    ...(WEBHOOK_PROXY_URL ? { webhookProxy: WEBHOOK_PROXY_URL } : {}),
    Probot: Probot.defaults({
      githubToken,
      secret: WEBHOOK_SECRET,
      Octokit: GitdiskOctokit,
      ...(GHE_HOST ? { baseUrl: `${GHE_PROTOCOL || "https"}://${GHE_HOST}/api/v3` } : {}),
    }),
  });
  await server.load(app);
  await server.start();
  return server;
}

async function main(): Promise<void> {
  if (process.env.APP_ID && !process.env.WEBHOOK_SECRET && !process.env.GITHUB_TOKEN) {
    // Probot would fall back to the well-known secret "development" and accept forged webhooks.
    throw new ConfigError("WEBHOOK_SECRET is required when APP_ID is set: use the webhook secret of your GitHub App");
  }
  const server = process.env.GITHUB_TOKEN
    ? await startTokenMode(process.env.GITHUB_TOKEN)
    : await run(app, { Octokit: GitdiskOctokit });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const log = runtime?.log;
    log?.info({ signal }, "gitdisk stopping: no new requests, flushing pending work");
    try {
      await server.stop();
      await runtime?.stop();
      log?.info("gitdisk stopped");
      process.exit(0);
    } catch (error) {
      log?.error({ err: error }, "gitdisk did not stop cleanly");
      process.exit(1);
    }
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  // The logger may not exist yet (bad configuration): stderr is the only place left to say why.
  process.stderr.write(`gitdisk failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
