import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { generateFrothly } from '../../gen/index.js';
import { runAllHunts } from '../../hunts/index.js';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingestPaths } from '../../ingest/index.js';
import { runSearch } from '../../search/index.js';
import { render } from '../../search/output.js';
import { Store } from '../../store/index.js';
import { serveCommand } from '../../server/cli.js';
import { type CliCommand, parse, zone } from '../args.js';

/** The repository's samples/ folder (the CLI runs from dist/src/cli/commands). */
export function samplesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'samples', 'stream')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'samples');
}

const DEMO_SEARCHES = [
  'index="botsv2" (.pdf OR .tgz OR .doc OR .xls) | stats count by sourcetype | sort - count',
  'index="botsv2" sourcetype="stream:smb" flow_id=d7370639-8ca9-40d3-a5f8-dd6547d4ff99 command="smb2 read" | stats count sum(bytes_in) AS b_in sum(bytes_out) AS b_out by src_ip dest_ip | eval mb_in=round((b_in/1024/1024),2) | eval mb_out=round((b_out/1024/1024),2) | fields - b_in b_out',
];

export const demoCmd: CliCommand = {
  name: 'demo',
  summary: 'generate Frothly data, ingest it, run the seed searches and the hunts, then serve the workbench',
  usage: 'quarry demo [--data DIR] [--scale 0.1] [--tz ZONE] [--port 8000] [--no-serve] [--sample]',
  async run(argv) {
    const { values } = parse(argv, { tz: { type: 'string' }, port: { type: 'string' }, 'no-serve': { type: 'boolean' }, scale: { type: 'string' }, sample: { type: 'boolean' } });
    const code = await loadDemo(values);
    if (code !== 0 || values['no-serve']) return code;
    // the demo ends in the workbench, on loopback
    const dir = values.data ?? join(process.cwd(), 'quarry-demo');
    return serveCommand(['--data', dir, '--host', '127.0.0.1', '--port', values.port ?? '8000']);
  },
};

/** Ingest the bundled sample into a fresh data dir and run the first seed searches. */
async function loadDemo(values: { tz?: string; data?: string; scale?: string; sample?: boolean }): Promise<number> {
  const tz = zone(values.tz ?? 'America/Los_Angeles');
  const dir = values.data ?? join(process.cwd(), 'quarry-demo');
  rmSync(dir, { recursive: true, force: true });
  const store = await Store.open(dir);
  try {
    let input = join(samplesDir(), 'stream');
    if (!values.sample) {
      // A generated Frothly network (August 2017) in the sensors' raw formats, with its truth file.
      input = join(dir, 'frothly');
      const scale = Number(values.scale ?? '0.1');
      process.stdout.write(`Generating the Frothly network at scale ${scale} into ${input} ...\n`);
      await generateFrothly({ out: input, scale, seed: 1 });
    }
    const report = await ingestPaths(store, [input], { index: 'botsv2', tz });
    process.stdout.write(`Ingested ${report.ingested} events (${Object.entries(report.by_sourcetype).map(([k, v]) => `${k} ${v}`).join(', ')}) into ${dir}\n`);
    for (const spl of DEMO_SEARCHES) {
      const res = await runSearch(store, spl, { tz });
      process.stdout.write(`\n$ quarry search --data ${dir} '${spl}'\n`);
      process.stdout.write(render('table', { fields: res.fields, rows: res.rows, tz, transforming: res.transforming }));
    }
    if (!values.sample) {
      for (const f of ['assets.csv', 'identities.csv']) copyFileSync(join(input, f), join(dir, f));
      const reports = await runAllHunts(store, { outDir: join(dir, 'reports'), format: 'html', index: 'botsv2', tz });
      process.stdout.write(`\nHunt reports:\n${reports.map((p) => '  ' + p).join('\n')}\n`);
    }
    process.stdout.write(`\nTry your own: npx quarry search --data ${dir} --tz ${tz} 'index=botsv2 sourcetype=stream:dns | stats count by query'\n`);
    return 0;
  } finally {
    store.close();
  }
}
