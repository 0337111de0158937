import { recordPath } from "../records/record-path.js";
import { mirrorRuleExcluding } from "./mirror-rule-excluding.js";
import type { CollectionConfig, RepoConfig } from "./repo-config.js";

/**
 * The `mirror` rule that leaves a collection's records out of the mirror, judged by a record of the
 * template's shape; undefined when the mirror keeps them. Reads come from the mirror, so such a
 * collection would take writes that never show.
 */
export function collectionExcludedBy(mirror: RepoConfig["mirror"], collection: CollectionConfig): string | undefined {
  const sampleId = collection.id.replace(/\{[^}]*\}/g, "x");
  return mirrorRuleExcluding(mirror, recordPath(collection, sampleId));
}
