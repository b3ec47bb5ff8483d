import { addLookup, listLookups } from '../../lookup/index.js';
import { type CliCommand, UsageError, dataDir, parse } from '../args.js';

export const lookupCmd: CliCommand = {
  name: 'lookup',
  summary: 'CSV lookup tables for lookup / inputlookup / outputlookup',
  usage: 'quarry lookup add NAME FILE.csv  |  quarry lookup list',
  async run(argv) {
    const { values, positionals } = parse(argv, {});
    const [verb, name, file] = positionals;
    const dir = dataDir(values.data);
    if (verb === 'list') {
      for (const l of listLookups(dir)) process.stdout.write(`${l.name}\t${l.bytes} bytes\t${l.fields.join(',')}\n`);
      return 0;
    }
    if (verb === 'add') {
      if (!name || !file) throw new UsageError(this.usage);
      try {
        const dest = addLookup(dir, name, file);
        process.stdout.write(`lookup ${name} saved as ${dest}\n`);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      return 0;
    }
    throw new UsageError(this.usage);
  },
};
