import { NotFoundError } from "../../errors.js";
import { actorOf } from "../actor-of.js";
import type { Route } from "../api-types.js";
import { loadWritingRepo } from "../load-repo.js";
import { writebackOf } from "../writeback-of.js";

export const writeRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/v1/repos/{owner}/{repo}/writes/{writeId}",
    async handle(context) {
      const repo = await loadWritingRepo(context, { sessionSeesPrivate: true });
      const writeId = context.params.writeId ?? "";
      const write = await writebackOf(context).write(writeId);
      // Only whoever made the write follows it; to anyone else it is as unknown as an id never issued.
      if (!write || write.repoId !== repo.id || write.actor !== actorOf(context.access, repo.id))
        throw new NotFoundError(`no write ${writeId.slice(0, 40)} in ${repo.owner}/${repo.name}`);
      return {
        status: 200,
        headers: { "cache-control": "no-store" },
        body: {
          writeId: write.writeId,
          id: write.id,
          path: write.path,
          status: write.status,
          ...(write.commit ? { commit: write.commit } : {}),
          ...(write.error ? { error: write.error } : {}),
        },
      };
    },
  },
];
