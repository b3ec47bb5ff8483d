import { saveUserMacro, userMacros } from '../../search/macros.js';
import { type CliCommand, UsageError, dataDir, parse } from '../args.js';

export const macroCmd: CliCommand = {
  name: 'macro',
  summary: 'define search macros kept in the data directory',
  usage: "quarry macro add 'name(2)' 'definition with $arg1$ $arg2$' [--args a,b]  |  quarry macro list",
  async run(argv) {
    const { values, positionals } = parse(argv, { args: { type: 'string' } });
    const [verb, name, definition] = positionals;
    const dir = dataDir(values.data);
    if (verb === 'list') {
      for (const m of userMacros(dir)) process.stdout.write(`${m.name}\t${m.definition}\n`);
      return 0;
    }
    if (verb === 'add') {
      if (!name || definition === undefined) throw new UsageError(this.usage);
      const { mkdirSync } = await import('node:fs');
      mkdirSync(dir, { recursive: true });
      saveUserMacro(dir, { name, definition, args: values.args?.split(',').map((s) => s.trim()) });
      process.stdout.write(`macro ${name} saved\n`);
      return 0;
    }
    throw new UsageError(this.usage);
  },
};
