/**
 * The signed-in visitors of (d)'s cookie run: a repository whose `.github/gitdisk.yml` lists the site's
 * origin, and every user of the plan signed in through the simulator's OAuth web flow before the
 * measured span, their sign-in profiles committed, as a site's visitors would have done days before.
 */
import { signIn } from "../../test/helpers/sign-in.js";
import type { RepoName } from "../naive/naive-github.js";
import type { VisitorSessions } from "../support/gitdisk-client.js";
import type { PlannedWrite } from "../support/write-plan.js";
import { type BenchContext, fullName } from "./bench-context.js";

/** The site whose pages the visitors write from: the Origin their browsers send with the cookie. */
export const SITE_ORIGIN = "http://site.test";

/** The files that let the site's pages write with a visitor's cookie. */
export const SITE_CONFIG_FILES = { ".github/gitdisk.yml": `api:\n  origins: ["${SITE_ORIGIN}"]\n` };

/** Signs every user of the plan in (one after another, as visitors arrive) and waits until their profiles are committed and mirrored. */
export async function signInVisitors(context: BenchContext, repo: RepoName, plan: readonly PlannedWrite[][]): Promise<VisitorSessions> {
  const { sim, gitdisk, tap } = context;
  const users = [...new Set(plan.flat().map((write) => write.user))];
  const cookies: Record<string, string> = {};
  for (const user of users) {
    // gitdisk reaches GitHub, its authorize page included, through the tap (GHE_HOST).
    const session = await signIn(gitdisk.url, sim, {
      repo: fullName(repo),
      redirect: `${SITE_ORIGIN}/signed-in`,
      user,
      githubUrl: `http://${tap.host}`,
    });
    cookies[user] = session.cookie;
  }
  const client = context.clientFor(repo);
  await client.waitForStatus((status) => status.pendingWrites === 0, 60_000);
  await sim.webhooks.settled();
  const head = sim.head(fullName(repo));
  await client.waitForStatus((status) => status.sha === head, 60_000);
  return { origin: SITE_ORIGIN, cookies };
}
