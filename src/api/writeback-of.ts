import { UnavailableError } from "../errors.js";
import type { Writeback } from "../writeback/create-writeback.js";
import type { RouteContext } from "./api-types.js";

/** The write queue for a route that writes or follows writes; 503 on a server without writes. */
export function writebackOf(context: Pick<RouteContext, "deps">): Writeback {
  const { writeback } = context.deps;
  if (!writeback) throw new UnavailableError("writes are not enabled on this server");
  return writeback;
}
