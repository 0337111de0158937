import type { ProbotOctokit } from "probot";
import { httpStatusOf, messageOf } from "../errors.js";

/** What GitHub said of gitdisk's credentials at start-up. */
export type GithubAuthCheck =
  | { outcome: "ok"; identity: string }
  | { outcome: "refused"; reason: string }
  /** No answer (network, GitHub down): the credentials may be fine. */
  | { outcome: "unreachable"; reason: string };

/**
 * Asks GitHub who gitdisk is: `GET /app` with the app's JWT in app mode, `GET /user` with the token in
 * token mode. 401/403 mean the credentials are refused, and so does a failure before any request (a
 * private key that cannot sign: Octokit reports network failures with a status too); any other status
 * says nothing of them.
 */
export async function checkGithubAuth(octokit: ProbotOctokit, mode: "app" | "token"): Promise<GithubAuthCheck> {
  try {
    if (mode === "app") {
      const { data } = await octokit.request("GET /app");
      return { outcome: "ok", identity: `app ${data?.slug ?? data?.id}` };
    }
    const { data } = await octokit.request("GET /user");
    return { outcome: "ok", identity: `user ${data.login}` };
  } catch (error) {
    const status = httpStatusOf(error);
    if (status === undefined) return { outcome: "refused", reason: messageOf(error) };
    if (status === 401 || status === 403) return { outcome: "refused", reason: `${status} ${messageOf(error)}` };
    return { outcome: "unreachable", reason: `${status} ${messageOf(error)}` };
  }
}
