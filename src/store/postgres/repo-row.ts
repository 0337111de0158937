import { type RepoColumns, repoStateOf } from "../repo-columns.js";
import type { RepoPatch, RepoState } from "../store.js";
import { asNumber } from "./sql-values.js";

export type RepoRow = RepoColumns<number | string, boolean>;

export function toRepoState(row: RepoRow): RepoState {
  return repoStateOf(row, asNumber, Boolean);
}

export function toColumnValue(key: keyof RepoPatch, value: unknown): unknown {
  if (key === "config") return JSON.stringify(value);
  return value ?? null;
}
