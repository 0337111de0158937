import { ConfigError } from "../errors.js";
import { type Env, envText } from "./env-text.js";

export interface WholeNumberRule {
  /** The value when the variable is unset or blank. */
  fallback: number;
  min?: number;
  /** No upper bound when absent. */
  max?: number;
  /** What the error calls a valid value (a port number, …). */
  kind?: string;
}

/** A variable holding a whole number (digits only) within the rule's bounds; anything else is a ConfigError naming it. */
export function envWholeNumber(env: Env, name: string, { fallback, min = 0, max, kind = "a whole number" }: WholeNumberRule): number {
  const raw = envText(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || (max !== undefined && value > max)) {
    const range = max === undefined ? `≥ ${min}` : `from ${min} to ${max}`;
    throw new ConfigError(`${name} must be ${kind} ${range}, got ${JSON.stringify(raw)}`, { name });
  }
  return value;
}

/** A duration the variable gives in whole seconds, in milliseconds (the unit gitdisk computes with). */
export function envSecondsAsMs(env: Env, name: string, rule: Omit<WholeNumberRule, "fallback" | "kind"> & { fallbackMs: number }): number {
  const { fallbackMs, ...bounds } = rule;
  return envWholeNumber(env, name, { ...bounds, fallback: fallbackMs / 1000 }) * 1000;
}
