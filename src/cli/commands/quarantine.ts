import type { EventRecord } from '../../ingest/event.js';
import { detectFormat, formatForSourcetype } from '../../ingest/formats/index.js';
import { storeRecords } from '../../ingest/index.js';
import { Store } from '../../store/index.js';
import { type CliCommand, UsageError, dataDir, parse, zone } from '../args.js';

interface Row {
  id: number;
  idx: string;
  sourcetype: string;
  source: string;
  line: number | null;
  byte_offset: number;
  reason: string;
  text: string;
}

export const quarantineCmd: CliCommand = {
  name: 'quarantine',
  summary: 'input that could not be read as events: list it, show it, retry it',
  usage: 'quarry quarantine list [--json] | show ID | retry [ID...] [--sourcetype ST] [--tz ZONE]',
  async run(argv) {
    const { values, positionals } = parse(argv, { json: { type: 'boolean' }, sourcetype: { type: 'string' }, tz: { type: 'string' } });
    const [verb, ...ids] = positionals;
    const store = await Store.open(dataDir(values.data));
    try {
      const rows = async (where = '', params: number[] = []) =>
        (await store.conn.runAndReadAll(`SELECT id, idx, sourcetype, source, line, byte_offset, reason, text FROM _quarry_quarantine ${where} ORDER BY id`, params)).getRowObjectsJS().map((r) => ({ ...r, id: Number(r.id), line: r.line == null ? null : Number(r.line), byte_offset: Number(r.byte_offset) })) as unknown as Row[];
      if (verb === 'list') {
        const all = await rows();
        if (values.json) process.stdout.write(JSON.stringify(all.map(({ text, ...r }) => ({ ...r, text: text.slice(0, 200) }))) + '\n');
        else for (const r of all) process.stdout.write(`${r.id}\t${r.idx}\t${r.source}${r.line ? ':' + r.line : ''}\t${r.reason}\n`);
        return 0;
      }
      if (verb === 'show') {
        if (ids.length !== 1) throw new UsageError('show takes one id');
        const [r] = await rows('WHERE id = $1', [Number(ids[0])]);
        if (!r) throw new UsageError(`no quarantined record ${ids[0]}`);
        process.stdout.write(`id: ${r.id}\nindex: ${r.idx}\nsource: ${r.source}${r.line ? ` line ${r.line}` : ''} (byte ${r.byte_offset})\nsourcetype: ${r.sourcetype}\nreason: ${r.reason}\n\n${r.text}\n`);
        return 0;
      }
      if (verb === 'retry') {
        // Read each record again (after a fix, or with --sourcetype); what now parses is stored and leaves quarantine.
        const list = ids.length ? await rows(`WHERE id IN (${ids.map((_, i) => `$${i + 1}`).join(', ')})`, ids.map(Number)) : await rows();
        const tz = zone(values.tz);
        let ok = 0;
        for (const r of list) {
          const st = values.sourcetype;
          const format = (st && formatForSourcetype(st)) || formatForSourcetype(r.sourcetype) || detectFormat(r.text, r.source);
          if (!format) continue;
          const got: EventRecord[] = [];
          const parser = format.open({ fileName: r.source, tz, sourcetype: st });
          const sink = { event: (e: EventRecord) => got.push(e), quarantine: () => undefined };
          r.text.split('\n').forEach((l, i) => parser.line(l, i + 1, 1, sink));
          parser.end(sink);
          if (!got.length) continue;
          await storeRecords(store, got.map((e) => ({ ...e, index: r.idx, source: e.source ?? r.source })));
          await store.conn.run('DELETE FROM _quarry_quarantine WHERE id = $1', [r.id]);
          ok++;
        }
        process.stdout.write(`${ok} of ${list.length} quarantined records now read as events\n`);
        return 0;
      }
      throw new UsageError(this.usage);
    } finally {
      store.close();
    }
  },
};
