import { appsRoutes } from "./apps-handlers.js";
import type { Codeload } from "./archive-handlers.js";
import { commitsRoutes } from "./commits-handlers.js";
import { contentsRoutes } from "./contents-handlers.js";
import { gitDataRoutes } from "./git-data-handlers.js";
import { hooksRoutes } from "./hooks-handlers.js";
import { refsRoutes } from "./refs-handlers.js";
import { reposRoutes } from "./repos-handlers.js";
import type { RestRoute } from "./rest-call.js";

/** Every REST endpoint the simulator implements, keyed by "METHOD /openapi/path/template". */
export function restRoutes(codeload: Codeload): Map<string, RestRoute> {
  return new Map(
    Object.entries({
      ...appsRoutes,
      ...reposRoutes,
      ...hooksRoutes,
      ...refsRoutes,
      ...commitsRoutes,
      ...gitDataRoutes,
      ...contentsRoutes,
      ...codeload.routes(),
    }),
  );
}
