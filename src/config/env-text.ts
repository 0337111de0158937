/** The environment as gitdisk reads it: the process's, or a plain object in tests. */
export type Env = Readonly<Record<string, string | undefined>>;

/** A variable's value, trimmed; a blank one counts as unset. */
export function envText(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}
