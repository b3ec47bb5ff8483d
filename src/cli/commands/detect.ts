import { loadSavedSearches, runDetections } from '../../detect/index.js';
import { Store } from '../../store/index.js';
import { type CliCommand, UsageError, dataDir, parse, zone } from '../args.js';

export const detectCmd: CliCommand = {
  name: 'detect',
  summary: 'list saved detections, or run them and write notable events to index=notable',
  usage: 'quarry detect list | quarry detect run [--since T] [--latest T] [--tz ZONE] [--json]',
  async run(argv) {
    const { values, positionals } = parse(argv, { since: { type: 'string' }, latest: { type: 'string' }, tz: { type: 'string' }, json: { type: 'boolean' } });
    const sub = positionals[0] ?? 'list';
    const store = await Store.open(dataDir(values.data));
    try {
      if (sub === 'list') {
        for (const s of loadSavedSearches(store.dir)) process.stdout.write(`${s.name} [${s.hunt}] ${s.cron_schedule} fires when ${s.threshold.field} ${s.threshold.op} ${s.threshold.value}\n  ${s.search}\n`);
        return 0;
      }
      if (sub !== 'run') throw new UsageError(`unknown subcommand "${sub}" (list, run)`);
      const rep = await runDetections(store, { since: values.since, latest: values.latest, tz: zone(values.tz) });
      if (values.json) process.stdout.write(JSON.stringify({ searches: rep.searches, written: rep.written }, null, 2) + '\n');
      else {
        for (const s of rep.searches) process.stdout.write(`${s.name}: ${s.rows} rows, ${s.fired} fired, ${s.new} new notable(s)${s.error ? ` — error: ${s.error}` : ''}\n`);
        process.stdout.write(`${rep.written} notable event(s) written to index=notable\n`);
      }
      return rep.searches.some((s) => s.error) ? 1 : 0;
    } finally {
      store.close();
    }
  },
};
