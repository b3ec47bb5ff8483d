import type { Span } from '../../spl/ast.js';
import type { Word } from '../../spl/cursor.js';
import { SplError } from '../../spl/errors.js';
import { parsePipeline, type GrammarTable } from '../../spl/parser.js';
import { escapeRegExp } from '../schema.js';
import type { CommandSpec } from './spec.js';
import { rejectOptions, type Options } from './util.js';

interface Args {
  patterns: Word[];
  template: string;
  templateSpan: Span;
  opts: Options;
}

const OPTS = ['mode', 'fieldstr', 'matchstr', 'matchseg1', 'matchseg2', 'matchseg3', 'itemstr', 'iterstr'];

/** Every command may appear first in a template (it runs on the rows so far). */
async function templateGrammars(): Promise<GrammarTable> {
  const { grammars } = await import('./index.js');
  return {
    get: (n) => {
      const g = grammars.get(n);
      return g && { parse: g.parse.bind(g), generating: true };
    },
    names: () => grammars.names(),
  };
}

/**
 * foreach (multifield mode): for each field matching the wildcard patterns when foreach starts,
 * the template pipeline is instantiated with <<FIELD>>, <<MATCHSTR>> and <<MATCHSEGn>> and run.
 */
export const foreach: CommandSpec<Args> = {
  name: 'foreach',
  help: 'foreach <wildcard fields> [ <template with <<FIELD>> and <<MATCHSTR>>> ]: run the template once per matching field.',
  parse(c) {
    const opts: Options = new Map();
    const patterns: Word[] = [];
    for (;;) {
      c.skipWs();
      if (c.atEnd()) throw c.error('foreach needs a template in [ ]', undefined, 'e.g. foreach * [eval <<FIELD>>_s=<<FIELD>>]');
      const o = c.options(OPTS);
      for (const [k, v] of o) opts.set(k, v);
      if (o.size) continue;
      if (c.peek() === '[') break;
      if (c.accept(',', false)) continue;
      const f = c.fieldName(true);
      if (!f) throw c.error('foreach needs field names or wildcards before the template');
      patterns.push(f);
    }
    const br = c.bracket();
    c.done();
    if (!patterns.length) throw c.error('foreach needs at least one field or wildcard', br.span);
    const mode = opts.get('mode');
    if (mode && mode.value.toLowerCase() !== 'multifield') throw new SplError(`foreach mode=${mode.value} is not supported yet`, mode.span, 'only mode=multifield');
    rejectOptions(opts, ['itemstr', 'iterstr'], 'foreach');
    return { patterns, template: c.text.slice(br.start, br.end), templateSpan: br.span, opts };
  },
  async compile(a, b, cmd) {
    const fieldstr = a.opts.get('fieldstr')?.value ?? '<<FIELD>>';
    const matchstr = a.opts.get('matchstr')?.value ?? '<<MATCHSTR>>';
    const segs = [1, 2, 3].map((i) => a.opts.get(`matchseg${i}`)?.value ?? `<<MATCHSEG${i}>>`);
    const instances: { field: string; parts: string[] }[] = [];
    const seen = new Set<string>();
    const names = b.schema.fields.filter((f) => !f.name.startsWith('_q_')).map((f) => f.name);
    for (const p of a.patterns) {
      const re = new RegExp('^' + p.value.split('*').map(escapeRegExp).join('(.*)') + '$');
      for (const n of names) {
        if (seen.has(n)) continue;
        if (n.startsWith('_') && !p.value.startsWith('_')) continue;
        const m = re.exec(n);
        if (!m) continue;
        seen.add(n);
        instances.push({ field: n, parts: m.slice(1) });
      }
    }
    const grammars = await templateGrammars();
    const { command } = await import('./index.js');
    for (const inst of instances) {
      let text = a.template.split(fieldstr).join(inst.field).split(matchstr).join(inst.parts.join(''));
      segs.forEach((s, i) => (text = text.split(s).join(inst.parts[i] ?? '')));
      let pipeline;
      try {
        pipeline = parsePipeline('| ' + text, grammars);
      } catch (e) {
        if (e instanceof SplError) throw new SplError(`foreach template for ${inst.field}: ${e.message}`, a.templateSpan, e.hint);
        throw e;
      }
      for (const c of pipeline.commands) {
        try {
          await command(c.name)!.compile(c.args, b, c);
        } catch (e) {
          if (e instanceof SplError) throw new SplError(`foreach template for ${inst.field}: ${e.message}`, a.templateSpan, e.hint);
          throw e;
        }
      }
    }
    void cmd;
  },
};
