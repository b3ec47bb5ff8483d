import { createInterface } from 'node:readline';
import { MacroTable } from '../../spl/macros.js';
import { SplError, formatSplError, lineCol } from '../../spl/errors.js';
import { parseSearch } from '../../search/index.js';
import { loadMacros } from '../../search/macros.js';
import { type CliCommand, UsageError, dataDir, parse } from '../args.js';

/** Load extra macros from a JSON lines file of {"name": "x(2)", "definition": "...", "args": [...]}. */
async function macrosFrom(file: string, into: MacroTable): Promise<void> {
  const { readFileSync } = await import('node:fs');
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const m = JSON.parse(line) as { name: string; definition: string; args?: string[] | string };
    const args = typeof m.args === 'string' ? m.args.split(',').map((s) => s.trim()).filter(Boolean) : m.args;
    try {
      into.add(m.name, m.definition ?? '', args && args.length ? args : undefined);
    } catch {
      /* a malformed macro definition in the file: skip it, searches calling it will report it */
    }
  }
}

export const parseCmd: CliCommand = {
  name: 'parse',
  summary: 'expand macros and check a search against every command grammar (no data needed)',
  usage: "quarry parse [--macros FILE.jsonl] 'SPL'  |  quarry parse --jsonl - < searches.jsonl",
  async run(argv) {
    const { values, positionals } = parse(argv, { jsonl: { type: 'boolean' }, macros: { type: 'string' } });
    let macros = loadMacros(dataDir(values.data));
    if (values.macros) {
      const extra = new MacroTable();
      await macrosFrom(values.macros, extra);
      macros = macros.merged(extra);
    }
    const check = (spl: string) => {
      try {
        parseSearch(spl, macros);
        return { ok: true as const };
      } catch (e) {
        if (e instanceof SplError) {
          const text = e.text ?? spl;
          return { ok: false as const, error: e.message, hint: e.hint, position: lineCol(text, e.span.start), span: e.span, text: formatSplError(e, text) };
        }
        return { ok: false as const, error: String((e as Error).message) };
      }
    };
    if (values.jsonl) {
      const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
      for await (const line of rl) {
        if (!line.trim()) continue;
        let spl = '';
        try {
          spl = String((JSON.parse(line) as { spl?: unknown }).spl ?? '');
        } catch {
          process.stdout.write(JSON.stringify({ ok: false, error: 'input line is not JSON with an "spl" field' }) + '\n');
          continue;
        }
        const r = check(spl);
        process.stdout.write(JSON.stringify(r.ok ? { ok: true } : { ok: false, error: r.error, hint: r.hint, position: r.position }) + '\n');
      }
      return 0;
    }
    const spl = positionals.join(' ');
    if (!spl.trim()) throw new UsageError('give the search to check');
    const r = check(spl);
    if (r.ok) {
      process.stdout.write('ok\n');
      return 0;
    }
    process.stderr.write((r.text ?? r.error) + '\n');
    return 2;
  },
};
