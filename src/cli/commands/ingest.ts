import { ingestPaths } from '../../ingest/index.js';
import { INGEST_MEMORY_LIMIT, Store } from '../../store/index.js';
import { type CliCommand, UsageError, dataDir, parse, zone } from '../args.js';

export const ingestCmd: CliCommand = {
  name: 'ingest',
  summary: 'read log files, directories, .gz files or - (stdin) into an index',
  usage: 'quarry ingest --index NAME [--sourcetype ST] [--source S] [--host H] [--tz ZONE] [--json] PATH...',
  async run(argv) {
    const { values, positionals } = parse(argv, {
      index: { type: 'string' },
      sourcetype: { type: 'string' },
      source: { type: 'string' },
      host: { type: 'string' },
      tz: { type: 'string' },
      json: { type: 'boolean' },
      'batch-size': { type: 'string' },
    });
    if (!values.index) throw new UsageError('--index is required');
    if (!positionals.length) throw new UsageError('name at least one file, directory or - for stdin');
    const store = await Store.open(dataDir(values.data), { memoryLimit: process.env.QUARRY_MEMORY_LIMIT ?? INGEST_MEMORY_LIMIT });
    const tty = process.stderr.isTTY && !values.json;
    const started = Date.now();
    try {
      const report = await ingestPaths(store, positionals, {
        index: values.index,
        sourcetype: values.sourcetype,
        source: values.source,
        host: values.host,
        tz: zone(values.tz),
        batchSize: values['batch-size'] ? Number(values['batch-size']) : undefined,
        onProgress: tty
          ? (p) => {
              const secs = (Date.now() - started) / 1000;
              process.stderr.write(`\r\x1b[K${p.events.toLocaleString()} events, ${p.quarantined} quarantined, ${Math.round(p.events / Math.max(secs, 0.001)).toLocaleString()} ev/s  ${p.file}`);
            }
          : undefined,
      });
      if (tty) process.stderr.write('\r\x1b[K');
      if (values.json) {
        process.stdout.write(JSON.stringify({ ingested: report.ingested, quarantined: report.quarantined, by_sourcetype: report.by_sourcetype, time_source: report.time_source, files: report.files }) + '\n');
      } else {
        const secs = ((Date.now() - started) / 1000).toFixed(1);
        process.stdout.write(`ingested ${report.ingested} events into index "${values.index}" in ${secs}s, quarantined ${report.quarantined}\n`);
        for (const [st, n] of Object.entries(report.by_sourcetype)) process.stdout.write(`  ${st}: ${n}\n`);
        if (report.time_source.ingest_time) process.stdout.write(`  ${report.time_source.ingest_time} events had no time of their own: _time is the ingest time\n`);
        const resumed = report.files.filter((f) => f.resumed_at > 0);
        for (const f of resumed) process.stdout.write(`  ${f.path}: resumed after byte ${f.resumed_at} (already ingested before)\n`);
        if (report.quarantined) process.stdout.write(`  see them with: quarry quarantine list\n`);
      }
      return 0;
    } finally {
      store.close();
    }
  },
};
