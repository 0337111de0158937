import { parseArgs } from "node:util";

export interface CliOption {
  type: "string" | "boolean";
  description: string;
  /** What a string option takes, for the usage line ("PORT", "DIR"). */
  value?: string;
}

/** A command's options and what `--help` says about them. */
export interface Cli<Options extends Record<string, CliOption>> {
  /** "npm run sim --" */
  command: string;
  summary: string;
  options: Options;
  /** Lines after the options (environment variables, examples). */
  notes?: string[];
}

export type CliValues<Options extends Record<string, CliOption>> = {
  [Name in keyof Options]?: Options[Name]["type"] extends "string" ? string : boolean;
};

export type CliParse<Options extends Record<string, CliOption>> =
  | { kind: "run"; values: CliValues<Options> }
  | { kind: "help"; text: string }
  | { kind: "usage-error"; text: string };

/** A command line the command cannot run with: its message, then the usage, and exit status 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

export function usageText(cli: Cli<Record<string, CliOption>>): string {
  const rows = [
    ...Object.entries(cli.options),
    ["help", { type: "boolean", description: "print this help and exit" } as CliOption] as const,
  ].map(([name, option]) => [`--${name}${option.value ? ` ${option.value}` : ""}`, option.description] as const);
  const width = Math.max(...rows.map(([flag]) => flag.length));
  const lines = [
    `Usage: ${cli.command} [options]`,
    "",
    cli.summary,
    "",
    "Options:",
    ...rows.map(([flag, about]) => `  ${flag.padEnd(width)}  ${about}`),
  ];
  return `${[...lines, ...(cli.notes ? ["", ...cli.notes] : [])].join("\n")}\n`;
}

/** Parses a command line strictly: `--help`, an unknown option or a missing value are answers, not exceptions. */
export function parseCli<Options extends Record<string, CliOption>>(cli: Cli<Options>, args: readonly string[]): CliParse<Options> {
  const options = Object.fromEntries(Object.entries(cli.options).map(([name, option]) => [name, { type: option.type }]));
  try {
    const { values } = parseArgs({
      args: [...args],
      options: { ...options, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) return { kind: "help", text: usageText(cli) };
    return { kind: "run", values: values as CliValues<Options> };
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    if (!code.startsWith("ERR_PARSE_ARGS_")) throw error;
    return { kind: "usage-error", text: `${(error as Error).message}\n\n${usageText(cli)}` };
  }
}

/** A TCP port from an option or an environment variable (0: any free port). */
export function parsePort(text: string | undefined, source: string): number | undefined {
  if (text === undefined || text === "") return undefined;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`${source} must be a port number (0-65535), not ${JSON.stringify(text)}`);
  return port;
}
