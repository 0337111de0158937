import { pino } from "pino";
import type { Logger } from "probot";

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export const DEBUG = 20;
export const INFO = 30;
export const ERROR = 50;

/** A real pino logger whose lines are kept in memory, so tests can see what was logged and at which level. */
export function captureLog(): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const log = pino({ level: "debug" }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return { log, lines };
}
