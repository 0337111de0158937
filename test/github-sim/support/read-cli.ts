import { type Cli, type CliOption, type CliValues, parseCli, UsageError, usageText } from "./cli-options.js";

function refuse(text: string): never {
  process.stderr.write(text);
  process.exit(2);
}

/**
 * The command line of a script, read at its start: `--help` prints the usage and exits 0; a command
 * line it cannot run with (an unknown option, a bad value `interpret` refuses with a UsageError)
 * prints why and the usage on stderr and exits 2, before the script starts anything.
 */
export function readCli<Options extends Record<string, CliOption>, Settings>(
  cli: Cli<Options>,
  interpret: (values: CliValues<Options>) => Settings,
  args: readonly string[] = process.argv.slice(2),
): Settings {
  const parsed = parseCli(cli, args);
  if (parsed.kind === "help") {
    process.stdout.write(parsed.text);
    process.exit(0);
  }
  if (parsed.kind === "usage-error") refuse(parsed.text);
  try {
    return interpret(parsed.values);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    refuse(`${error.message}\n\n${usageText(cli)}`);
  }
}
