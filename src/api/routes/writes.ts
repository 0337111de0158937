import { NotFoundError } from "../../errors.js";
import type { Route } from "../api-types.js";
import { requireKey } from "../auth.js";
import { loadWritingRepo } from "../load-repo.js";
import { writebackOf } from "./collections.js";

export const writeRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/v1/repos/{owner}/{repo}/writes/{writeId}",
    async handle(context) {
      const repo = await loadWritingRepo(context);
      if (repo.private) requireKey(context.access, context.deps.config.apiKey, `reading the writes of ${repo.owner}/${repo.name}`);
      const writeId = context.params.writeId ?? "";
      const write = await writebackOf(context).write(writeId);
      if (!write || write.repoId !== repo.id) throw new NotFoundError(`no write ${writeId.slice(0, 40)} in ${repo.owner}/${repo.name}`);
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
