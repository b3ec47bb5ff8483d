import { SplError } from '../../spl/errors.js';
import type { CommandSpec } from './spec.js';

function parseCount(c: import('../../spl/cursor.js').Cursor): number {
  const opts = c.options(['limit', 'keeplast', 'null']);
  let n = opts.has('limit') ? Number(opts.get('limit')!.value) : 10;
  const w = c.word();
  if (w) {
    if (!/^\d+$/.test(w.value)) throw new SplError(`${c.command} takes a number of results`, w.span, `e.g. ${c.command} 20`);
    n = Number(w.value);
  }
  c.done();
  return n;
}

export const head: CommandSpec<number> = {
  name: 'head',
  help: 'head [N]: the first N results (default 10).',
  parse: parseCount,
  compile(n, b) {
    b.push(`SELECT * FROM ${b.from}${b.orderBy()} LIMIT ${n}`, b.schema);
  },
};

export const tail: CommandSpec<number> = {
  name: 'tail',
  help: 'tail [N]: the last N results, last first (default 10).',
  parse: parseCount,
  compile(n, b) {
    const seq = b.ensureSeq();
    b.push(`SELECT * FROM ${b.from} ORDER BY ${seq} DESC LIMIT ${n}`, b.schema, [{ sql: seq, desc: true }]);
  },
};

export const reverse: CommandSpec<null> = {
  name: 'reverse',
  help: 'reverse: the results in the opposite order.',
  parse(c) {
    c.done();
    return null;
  },
  compile(_, b) {
    const seq = b.ensureSeq();
    b.order = [{ sql: seq, desc: true }];
  },
};
