/** The `quarry` command: one module per subcommand in ./commands, listed here. */
import { SplError, formatSplError } from '../spl/errors.js';
import { type CliCommand, UsageError } from './args.js';
import { demoCmd } from './commands/demo.js';
import { hecCmd } from './commands/hec.js';
import { detectCmd } from './commands/detect.js';
import { genCmd } from './commands/gen.js';
import { huntCmd } from './commands/hunt.js';
import { ingestCmd } from './commands/ingest.js';
import { macroCmd } from './commands/macro.js';
import { lookupCmd } from './commands/lookup.js';
import { parseCmd } from './commands/parse.js';
import { quarantineCmd } from './commands/quarantine.js';
import { searchCmd } from './commands/search.js';
import { serveCmd, userCmd } from './commands/serve.js';

export const commands: CliCommand[] = [demoCmd, ingestCmd, searchCmd, parseCmd, macroCmd, hecCmd, genCmd, lookupCmd, huntCmd, detectCmd, quarantineCmd, serveCmd, userCmd];

function help(): string {
  const w = Math.max(...commands.map((c) => c.name.length));
  return [
    'quarry: hunt adversaries in security logs with SPL, on an embedded DuckDB.',
    '',
    'Usage: quarry <command> [options]   (every command takes --data DIR; default $QUARRY_DATA or ./quarry-data)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`),
    '',
    'quarry <command> --help shows a command\'s options.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help() + '\n');
    return 0;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    process.stderr.write(`quarry: unknown command "${name}"\n\n${help()}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${cmd.summary}\n\nUsage: ${cmd.usage}\n`);
    return 0;
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`quarry ${name}: ${e.message}\nUsage: ${cmd.usage}\n`);
      return 2;
    }
    if (e instanceof SplError) {
      process.stderr.write(formatSplError(e, e.text ?? '') + '\n');
      return 2;
    }
    process.stderr.write(`quarry ${name}: ${(e as Error).message}\n`);
    return 1;
  }
}
