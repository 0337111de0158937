import { UnavailableError } from "../../errors.js";
import type { Route } from "../api-types.js";

export const healthRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/healthz",
    async handle({ deps }) {
      try {
        // A cheap indexed read: proves the store answers without scanning anything.
        await deps.store.getRepo(0);
      } catch (cause) {
        throw new UnavailableError("the store is not answering", cause);
      }
      return { status: 200, headers: { "cache-control": "no-store" }, body: { status: "ok" } };
    },
  },
];
