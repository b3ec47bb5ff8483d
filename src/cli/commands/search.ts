import { Store } from '../../store/index.js';
import { SplError, formatSplError, runSearch } from '../../search/index.js';
import { render, type OutputFormat } from '../../search/output.js';
import { type CliCommand, UsageError, dataDir, parse, zone } from '../args.js';

const FORMATS = ['table', 'csv', 'json', 'jsonl'];

export const searchCmd: CliCommand = {
  name: 'search',
  summary: 'run an SPL search',
  usage: "quarry search [--earliest T] [--latest T] [--tz ZONE] [--format table|csv|json|jsonl] [--max N] [--explain] 'SPL'",
  async run(argv) {
    const { values, positionals } = parse(argv, {
      earliest: { type: 'string' },
      latest: { type: 'string' },
      tz: { type: 'string' },
      format: { type: 'string' },
      max: { type: 'string' },
      explain: { type: 'boolean' },
    });
    const spl = positionals.join(' ');
    if (!spl.trim()) throw new UsageError('give the search as one argument, e.g. quarry search \'index=botsv2 | stats count by sourcetype\'');
    const format = (values.format ?? 'table') as OutputFormat;
    if (!FORMATS.includes(format)) throw new UsageError(`--format is one of ${FORMATS.join(', ')}`);
    const tz = zone(values.tz);
    const store = await Store.open(dataDir(values.data));
    try {
      const max = values.max !== undefined ? Number(values.max) : undefined;
      const res = await runSearch(store, spl, { earliest: values.earliest, latest: values.latest, tz, limit: max ?? 50000 });
      if (values.explain) {
        process.stderr.write(`-- expanded: ${res.compiled.expanded}\n${res.compiled.sql}\n`);
      }
      const fields = res.transforming ? res.fields : eventFields(res.fields);
      process.stdout.write(render(format, { fields, rows: res.rows, tz, transforming: res.transforming }));
      return 0;
    } catch (e) {
      if (e instanceof SplError) {
        process.stderr.write(formatSplError(e, e.text ?? spl) + '\n');
        return 2;
      }
      throw e;
    } finally {
      store.close();
    }
  },
};

/** Events: _time first, then the fields, _raw last. */
function eventFields(fields: string[]): string[] {
  const rest = fields.filter((f) => f !== '_time' && f !== '_raw');
  return [...(fields.includes('_time') ? ['_time'] : []), ...rest, ...(fields.includes('_raw') ? ['_raw'] : [])];
}
