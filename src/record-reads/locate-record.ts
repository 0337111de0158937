import { findCollection } from "../config/find-collection.js";
import type { CollectionConfig } from "../config/repo-config.js";
import { compileIdTemplate, fitRecordId, matchRecordId } from "../records/id-template.js";
import { recordPath } from "../records/record-path.js";
import type { RepoState } from "../store/store.js";

export interface RecordLocation {
  collection: CollectionConfig;
  id: string;
  path: string;
}

/**
 * Where a record lives; 404 for an unknown collection, 400 for an id its template cannot build. With
 * the site key such an id is the record's file name in the collection's folder (still path-checked),
 * so records made by hand under other names can be read, fixed and deleted.
 */
export function locateRecord(repo: Pick<RepoState, "config">, collectionName: string, rawId: string, withKey = false): RecordLocation {
  const collection = findCollection(repo.config, collectionName, withKey);
  const template = compileIdTemplate(collection.id);
  const id = withKey ? (fitRecordId(template, rawId)?.id ?? rawId) : matchRecordId(template, rawId).id;
  return { collection, id, path: recordPath(collection, id) };
}
