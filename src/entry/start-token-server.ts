import { type ApplicationFunction, createProbot, Probot, Server } from "probot";
import type { ServerMode } from "../config/choose-mode.js";
import type { Config } from "../config/read-config.js";
import { GitdiskOctokit } from "../github/gitdisk-octokit.js";

type TokenMode = Extract<ServerMode, { kind: "token" }>;

/**
 * Token mode: Probot's server with a personal access token instead of an app. Probot's `run()` knows only
 * apps, so the server is made here, with a logger made by Probot from LOG_LEVEL, LOG_FORMAT, … as `run()` does.
 */
export async function startTokenServer(
  { server: listen, github, probotEnv }: Pick<Config, "server" | "github" | "probotEnv">,
  { githubToken, secret }: TokenMode,
  app: ApplicationFunction,
): Promise<Server> {
  const { log } = await createProbot({ env: probotEnv, overrides: { githubToken } }).ready();
  const server = new Server({
    port: listen.port,
    host: listen.host,
    webhookPath: listen.webhookPath,
    log,
    ...(listen.webhookProxyUrl ? { webhookProxy: listen.webhookProxyUrl } : {}),
    Probot: Probot.defaults({ githubToken, secret, Octokit: GitdiskOctokit, baseUrl: github.apiUrl }),
  });
  await server.load(app);
  await server.start();
  return server;
}
