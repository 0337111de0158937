import { type Probot, run } from "probot";
import { createGitdisk, type GitdiskRuntime } from "../app.js";
import { readProcessConfig } from "../config/read-process-config.js";
import { messageOf } from "../errors.js";
import { GitdiskOctokit } from "../github/gitdisk-octokit.js";
import { GithubAuthStatus } from "../github/github-auth-status.js";
import { assertPortFree } from "./assert-port-free.js";
import { GITHUB_PAYLOAD_CAP_BYTES, limitWebhookBodies } from "./limit-webhook-bodies.js";
import { reportGithubAuth } from "./report-github-auth.js";
import { startTokenServer } from "./start-token-server.js";
import { stopOnSignals } from "./stop-on-signals.js";

/** Beyond the write-back's own stop timeout: closing the server and the store. */
const STOP_MARGIN_MS = 2_000;

/**
 * `npm start`: the long-running server. `.env` (in the working folder) is applied first, whatever the
 * mode: with GITHUB_TOKEN, token mode (a personal access token and a repository webhook); with APP_ID,
 * a GitHub App; with neither, Probot's setup page registers one from app.yml.
 */
async function main(): Promise<void> {
  const config = readProcessConfig();
  const { server: listen, github } = config;
  const { mode } = github;
  await assertPortFree(listen.host, listen.port);

  const githubAuth = new GithubAuthStatus();
  let runtime: GitdiskRuntime | undefined;
  let probot: Probot | undefined;
  const gitdisk = createGitdisk({ config, githubAuth, onReady: (ready) => (runtime = ready) });
  const app = limitWebhookBodies(
    (instance, options) => {
      probot = instance;
      return gitdisk(instance, options);
    },
    { maxBytes: GITHUB_PAYLOAD_CAP_BYTES, webhookPath: listen.webhookPath, ...(mode.kind === "setup" ? {} : { secret: mode.secret }) },
  );
  const server =
    mode.kind === "token" ? await startTokenServer(config, mode, app) : await run(app, { env: config.probotEnv, Octokit: GitdiskOctokit });
  // run() stops the server on SIGINT and exits at once, without waiting for the write-back's flush.
  process.removeAllListeners("SIGINT");
  // Probot's setup page (no app yet): gitdisk itself is not running.
  if (mode.kind === "setup" || !runtime || !probot) return;

  const { log } = runtime;
  log.info(
    `gitdisk running in ${mode.kind} mode on http://${listen.host}:${listen.port}, GitHub API ${github.apiUrl}, data in ${config.store.dataDir}`,
  );
  if (config.api.apiKey === undefined) {
    log.warn(
      "GITDISK_API_KEY is not set: private repositories cannot be read and writes are refused; set it to a secret of 16 characters or more",
    );
  }
  const stoppable = runtime;
  stopOnSignals({
    stop: async () => {
      await server.stop();
      await stoppable.stop();
    },
    log,
    hardLimitMs: config.writeback.stopTimeoutMs + STOP_MARGIN_MS,
  });
  void reportGithubAuth(probot, mode.kind, githubAuth, log).catch((error: unknown) =>
    log.warn({ err: error }, "could not check gitdisk's credentials"),
  );
}

main().catch((error: unknown) => {
  // The logger may not exist yet (bad configuration): stderr is the only place left to say why.
  process.stderr.write(`gitdisk failed to start: ${messageOf(error)}\n`);
  process.exit(1);
});
