import { writeFileSync } from 'node:fs';
import { saveDetections } from '../../detect/index.js';
import { getHunt, listHunts, renderReport, runHunt, type ReportFormat, type HuntResult } from '../../hunts/index.js';
import { loadAssets } from '../../hunts/assets.js';
import { Store } from '../../store/index.js';
import { type CliCommand, UsageError, dataDir, parse, zone } from '../args.js';

const FORMATS = ['md', 'html', 'json'];

export const huntCmd: CliCommand = {
  name: 'hunt',
  summary: 'list the hunts, or run one (or all) and write its report',
  usage: 'quarry hunt list | quarry hunt run ID|all [--index NAME] [--earliest T --latest T] [--param k=v]... [--format md|html|json] [--out FILE] [--tz ZONE] [--lookups DIR] [--save-detections]',
  async run(argv) {
    const { values, positionals } = parse(argv, {
      index: { type: 'string' },
      earliest: { type: 'string' },
      latest: { type: 'string' },
      param: { type: 'string', multiple: true },
      format: { type: 'string' },
      out: { type: 'string' },
      tz: { type: 'string' },
      lookups: { type: 'string' },
      'save-detections': { type: 'boolean' },
    });
    const [sub, id] = positionals;
    if (sub === 'list' || !sub) {
      for (const h of listHunts()) {
        process.stdout.write(`${h.id.padEnd(18)} ${h.title} [${h.techniques.map((t) => t.id).join(', ')}]\n${' '.repeat(19)}${h.hypothesis}\n`);
      }
      return 0;
    }
    if (sub !== 'run') throw new UsageError(`unknown subcommand "${sub}" (list, run)`);
    if (!id) throw new UsageError('name a hunt (quarry hunt list) or all');
    const format = (values.format ?? 'md') as ReportFormat;
    if (!FORMATS.includes(format)) throw new UsageError(`--format is one of ${FORMATS.join(', ')}`);
    const params: Record<string, string> = {};
    for (const p of values.param ?? []) {
      const i = p.indexOf('=');
      if (i <= 0) throw new UsageError(`--param takes k=v, got "${p}"`);
      params[p.slice(0, i)] = p.slice(i + 1);
    }
    const ids = id === 'all' ? listHunts().map((h) => h.id) : [getHunt(id).id];
    const tz = zone(values.tz ?? 'America/Los_Angeles');
    const store = await Store.open(dataDir(values.data));
    try {
      const results: HuntResult[] = [];
      for (const h of ids) {
        const r = await runHunt(store, h, { index: values.index, earliest: values.earliest, latest: values.latest, tz, params, lookupsDir: values.lookups });
        results.push(r);
        process.stderr.write(`${h}: ${r.findings.length} findings in ${r.ms} ms (${r.steps.filter((s) => s.status !== 'ok').map((s) => `${s.id} ${s.status}`).join(', ') || 'all steps ran'})\n`);
        if (values['save-detections']) {
          const { saved, skipped } = saveDetections(store.dir, r, getHunt(h).detections);
          process.stderr.write(`  saved ${saved.length} detection(s)${skipped.length ? `; not saved (nothing found to fill ${skipped.map((s) => s.missing.join('/')).join(', ')}): ${skipped.map((s) => s.name).join('; ')}` : ''}\n`);
        }
      }
      const assets = loadAssets([values.lookups, store.dir].filter((d): d is string => !!d));
      if (format === 'html' && results.length > 1 && values.out) {
        // one self-contained file per hunt: OUT-<id>.html
        const base = values.out.replace(/\.html?$/i, '');
        for (const r of results) {
          const p = `${base}-${r.hunt}.html`;
          writeFileSync(p, renderReport(r, 'html', { tz, assets }));
          process.stderr.write(`wrote ${p}\n`);
        }
        return 0;
      }
      let text: string;
      if (format === 'json' && results.length > 1) text = JSON.stringify(results, null, 2) + '\n';
      else text = results.map((r) => renderReport(r, format, { tz, assets })).join(format === 'md' ? '\n---\n\n' : '\n');
      if (values.out) {
        writeFileSync(values.out, text);
        process.stderr.write(`wrote ${values.out}\n`);
      } else process.stdout.write(text);
      return 0;
    } finally {
      store.close();
    }
  },
};
