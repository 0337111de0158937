import { type ApplicationFunction, createProbot, Probot, Server } from "probot";
import type { ServerEnv } from "../config/env.js";
import { GitdiskOctokit } from "../github/gitdisk-octokit.js";

/**
 * Token mode: Probot's server with a personal access token instead of an app. Probot's `run()` knows only
 * apps, so the server is made here, with a logger made by Probot from LOG_LEVEL, LOG_FORMAT, … as `run()` does.
 */
export async function startTokenServer(env: ServerEnv, githubToken: string, secret: string, app: ApplicationFunction): Promise<Server> {
  const { log } = await createProbot({ env: env.probotEnv, overrides: { githubToken } }).ready();
  const server = new Server({
    port: env.port,
    host: env.host,
    webhookPath: env.webhookPath,
    log,
    ...(env.webhookProxyUrl ? { webhookProxy: env.webhookProxyUrl } : {}),
    Probot: Probot.defaults({ githubToken, secret, Octokit: GitdiskOctokit, baseUrl: env.githubApiUrl }),
  });
  await server.load(app);
  await server.start();
  return server;
}
