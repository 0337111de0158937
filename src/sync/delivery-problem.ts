import { parseInstallationEvent } from "./installation-event.js";
import { installationIdOf, isObject } from "./payload-parts.js";
import { parsePushEvent } from "./push-event.js";
import { parseRepositoryEvent } from "./repository-event.js";

/** The events gitdisk handles, each with the check its handler's parse makes. */
const PARSERS: Readonly<Record<string, (payload: unknown) => object>> = {
  push: parsePushEvent,
  repository: parseRepositoryEvent,
  installation: (payload) => parseInstallationEvent(payload, ["repositories"]),
  installation_repositories: (payload) => parseInstallationEvent(payload, ["repositories_added", "repositories_removed"]),
};

/**
 * Why a signed delivery cannot be handled, naming the field, or undefined when it can. Checked
 * before Probot builds an installation client from `installation.id` for the handlers.
 */
export function deliveryProblem(event: string, payload: unknown): string | undefined {
  if (!isObject(payload)) return "payload is not a JSON object";
  const parse = PARSERS[event];
  if (!parse) return undefined;
  if (payload.installation !== undefined && installationIdOf(payload) === undefined) return "installation.id is not a positive integer";
  const parsed = parse(payload);
  return "problem" in parsed ? String(parsed.problem) : undefined;
}
