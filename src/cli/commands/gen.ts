import { generateFrothly, VARIANTS } from '../../gen/index.js';
import { type CliCommand, parse, UsageError } from '../args.js';

export const genCmd: CliCommand = {
  name: 'gen',
  summary: 'generate the Frothly data set (BOTS v2-like logs in raw formats, with truth.json)',
  usage: `quarry gen frothly --out DIR [--scale N] [--seed S] [--variant ${VARIANTS.join('|')}] [--zeek] [--quiet]`,
  async run(argv) {
    const { values, positionals } = parse(argv, {
      out: { type: 'string', short: 'o' }, scale: { type: 'string' }, seed: { type: 'string' },
      variant: { type: 'string' }, zeek: { type: 'boolean' }, quiet: { type: 'boolean', short: 'q' },
    });
    if (positionals[0] !== 'frothly' || positionals.length !== 1) throw new UsageError('the only generator is "frothly"');
    if (!values.out) throw new UsageError('--out DIR is required');
    const scale = values.scale === undefined ? 1 : Number(values.scale);
    if (!(scale > 0)) throw new UsageError(`--scale must be a positive number, got "${values.scale}"`);
    const variant = values.variant ?? 'default';
    if (!VARIANTS.includes(variant)) throw new UsageError(`unknown variant "${variant}" (known: ${VARIANTS.join(', ')})`);
    const t0 = Date.now();
    const m = await generateFrothly({
      out: values.out, scale, seed: values.seed ?? 'frothly', variant, zeek: !!values.zeek,
      onProgress: values.quiet ? undefined : (msg) => process.stderr.write(msg + '\n'),
    });
    const w = Math.max(...Object.keys(m.sourcetypes).map((s) => s.length));
    for (const [st, n] of Object.entries(m.sourcetypes)) process.stdout.write(`${st.padEnd(w)}  ${String(n).padStart(9)}\n`);
    process.stdout.write(`${m.events} events, ${(m.bytes / 1e6).toFixed(1)} MB in ${values.out} (${((Date.now() - t0) / 1000).toFixed(1)} s); ingest with: quarry ingest --index botsv2 --tz ${m.tz} ${values.out}\n`);
    return 0;
  },
};
