import { addToken, listTokens } from '../../server/hec-tokens.js';
import { type CliCommand, UsageError, dataDir, parse } from '../args.js';

export const hecCmd: CliCommand = {
  name: 'hec',
  summary: 'HTTP Event Collector tokens (the collector itself runs in quarry serve)',
  usage: 'quarry hec token add NAME --index I [--indexes a,b] [--sourcetype ST] [--no-ack]  |  quarry hec token list',
  async run(argv) {
    const { values, positionals } = parse(argv, {
      index: { type: 'string' },
      indexes: { type: 'string' },
      sourcetype: { type: 'string' },
      'no-ack': { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const dir = dataDir(values.data);
    const [noun, verb, name] = positionals;
    if (noun !== 'token') throw new UsageError(this.usage);
    if (verb === 'list') {
      for (const t of listTokens(dir)) process.stdout.write(`${t.name}\t${t.token}\tindex=${t.index}${t.ack ? '\tack' : ''}${t.disabled ? '\tdisabled' : ''}\n`);
      return 0;
    }
    if (verb === 'add' && name) {
      if (!values.index) throw new UsageError('--index is required');
      const t = addToken(dir, { name, index: values.index, indexes: values.indexes?.split(',').map((s) => s.trim()).filter(Boolean) ?? [], sourcetype: values.sourcetype, ack: !values['no-ack'] });
      process.stdout.write(values.json ? JSON.stringify(t) + '\n' : `${t.token}\n`);
      return 0;
    }
    throw new UsageError(this.usage);
  },
};
