import { parseArgs } from 'node:util';
import { chooseDataDir } from '../store/dataDir.js';
import { WalkScopeApp } from '../services/walkscopeApp.js';
import { asReply, CliContext, exitCodes, UsageError, type CliIo } from './cliContext.js';
import type { Command } from './command.js';
import { commands } from './commands/index.js';

const aliases: Record<string, string> = { jobs: 'jobs list', patients: 'patients list', study: 'study list', studies: 'study list', readers: 'readers list', models: 'models list' };

function findCommand(args: string[]): { command: Command; rest: string[] } | undefined {
  const two = `${args[0] ?? ''} ${args[1] ?? ''}`;
  const byTwo = commands.find((c) => c.name === two);
  if (byTwo) return { command: byTwo, rest: args.slice(2) };
  const one = aliases[args[0] ?? ''] ?? args[0];
  const byOne = commands.find((c) => c.name === one);
  return byOne ? { command: byOne, rest: args.slice(1) } : undefined;
}

function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'WalkScope: screening of walking videos for adult spinal deformity.',
    '',
    'Usage: walkscope <command> [options]    (add --json for machine-readable output)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Common options: --data-dir DIR (default: WALKSCOPE_HOME or the per-user data folder), --queue redis://HOST:PORT with --media-folder DIR (analysis jobs go to workers; default: WALKSCOPE_QUEUE, else the queue in Settings, else this machine), --json, --help',
    'Exit codes: 0 success, 1 the operation failed, 2 the command line was wrong.',
  ].join('\n');
}

/** Runs one command line; returns the exit code. Exported for tests. */
export async function runCli(argv: string[], io: CliIo = { out: (t) => console.log(t), err: (t) => console.error(t) }): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help' || argv[0] === '-h') {
    io.out(helpText());
    return argv.length === 0 ? exitCodes.usage : exitCodes.ok;
  }
  const found = findCommand(argv);
  if (!found) {
    io.err(`Unknown command "${argv.slice(0, 2).join(' ')}". Run walkscope --help for the list.`);
    return exitCodes.usage;
  }
  const { command, rest } = found;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { queue: { type: 'string' }, 'media-folder': { type: 'string' }, ...command.options, json: { type: 'boolean' }, 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\nUsage: ${command.usage}`);
    return exitCodes.usage;
  }
  if (parsed.values.help) {
    io.out(`${command.summary}\nUsage: ${command.usage}`);
    return exitCodes.ok;
  }
  const explicitDataDir = typeof parsed.values['data-dir'] === 'string' ? parsed.values['data-dir'] : undefined;
  const context = new CliContext(parsed.values.json === true, io, () => {
    const { dataDir, locationHome } = chooseDataDir(explicitDataDir);
    const queueFrom = { flags: { queue: stringValue(parsed.values.queue), mediaFolder: stringValue(parsed.values['media-folder']) }, env: process.env };
    return WalkScopeApp.open({ dataDir, transport: 'cli', runJobs: false, log: () => {}, queueFrom, ...(locationHome ? { dataLocationHome: locationHome } : {}) });
  });
  try {
    const code = await command.run(context, parsed.positionals, parsed.values as Record<string, string | boolean | string[] | undefined>);
    return code ?? exitCodes.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\nUsage: ${command.usage}`);
      return exitCodes.usage;
    }
    const reply = asReply(error);
    if (reply) {
      if (context.json) io.out(JSON.stringify({ error: reply }, null, 2));
      else io.err(`${reply.message} [${reply.code}]`);
      return exitCodes.failed;
    }
    io.err(`WalkScope failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`);
    return exitCodes.failed;
  } finally {
    await context.close();
  }
}

const isEntry = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop() ?? '\0');
if (isEntry) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(exitCodes.failed);
    },
  );
}

function stringValue(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
