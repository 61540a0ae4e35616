import type { ParseArgsConfig } from 'node:util';
import type { CliContext } from './cliContext.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** One command of the `walkscope` tool; `name` may have two words (`patients list`). */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  options?: OptionSpec;
  /** Commands that need no store (`stats`, `prepare`) never call context.app(), so the data folder is not opened. */
  run(context: CliContext, positionals: string[], values: Record<string, string | boolean | string[] | undefined>): Promise<number | void>;
}
