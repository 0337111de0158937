import type { Principal } from "../core/principal.js";
import type { SimCore } from "../core/sim-core.js";
import type { Account, RepoRecord } from "../state/world.js";

/** What every resolver can reach: the simulator, the caller, and model factories (which break import cycles). */
export interface GraphqlContext {
  core: SimCore;
  principal: Principal;
  repositoryModel(repo: RepoRecord): Record<string, unknown>;
  actorModel(account: Account): Record<string, unknown>;
}
