/**
 * Splunk's HTTP Event Collector on Quarry's store: /services/collector/event (concatenated JSON
 * envelopes), /raw (lines, parsed by the sourcetype's format), /ack and /health, with Splunk's
 * status codes. Each request is one atomic batch; when event N is bad, events before it are
 * stored and the reply names N, as Splunk does.
 */
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EventRecord, FieldValue } from '../ingest/event.js';
import { flattenJson } from '../ingest/formats/util.js';
import { anyTimeToMicros } from '../ingest/timestamps.js';
import { detectFormat, formatForSourcetype } from '../ingest/formats/index.js';
import { storeRecords } from '../ingest/index.js';
import type { Store } from '../store/index.js';
import { listTokens, type HecToken } from './hec-tokens.js';

export const HEC_CODES: Record<number, [number, string]> = {
  0: [200, 'Success'],
  1: [403, 'Token disabled'],
  2: [401, 'Token is required'],
  3: [401, 'Invalid authorization'],
  4: [403, 'Invalid token'],
  5: [400, 'No data'],
  6: [400, 'Invalid data format'],
  7: [400, 'Incorrect index'],
  8: [500, 'Internal server error'],
  9: [503, 'Server is busy'],
  10: [400, 'Data channel is missing'],
  11: [400, 'Invalid data channel'],
  12: [400, 'Event field is required'],
  13: [400, 'Event field cannot be blank'],
  14: [400, 'ACK is disabled'],
  15: [400, 'Error in handling indexed fields'],
  17: [200, 'HEC is healthy'],
};

export interface HecOptions {
  store: Store;
  /** IANA zone for raw lines whose format carries no zone */
  tz: string;
  /** largest accepted body in bytes (Splunk's max_content_length) */
  maxBytes?: number;
}

function flatten(o: Record<string, unknown>, plainTopArrays: boolean): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  if (o && typeof o === 'object') flattenJson(o, out, '', plainTopArrays);
  return out;
}

class HecFailure extends Error {
  constructor(
    readonly code: number,
    readonly eventNumber?: number,
  ) {
    super(HEC_CODES[code]?.[1] ?? 'error');
  }
}

function send(reply: FastifyReply, code: number, extra: Record<string, unknown> = {}): FastifyReply {
  const [status, text] = HEC_CODES[code] ?? [500, 'Internal server error'];
  return reply.code(status).send({ text, code, ...extra });
}

/** Split concatenated JSON objects (`{...}{...}` or newline-separated), reporting where each fails. */
export function splitEnvelopes(body: string): { objects: unknown[]; error?: number } {
  const objects: unknown[] = [];
  let i = 0;
  const n = body.length;
  while (i < n) {
    while (i < n && /\s/.test(body[i]!)) i++;
    if (i >= n) break;
    if (body[i] !== '{') return { objects, error: objects.length };
    let depth = 0;
    let inStr = false;
    let j = i;
    for (; j < n; j++) {
      const ch = body[j];
      if (inStr) {
        if (ch === '\\') j++;
        else if (ch === '"') inStr = false;
      } else if (ch === '"') inStr = true;
      else if (ch === '{') depth++;
      else if (ch === '}' && --depth === 0) break;
    }
    if (j >= n) return { objects, error: objects.length };
    try {
      objects.push(JSON.parse(body.slice(i, j + 1)));
    } catch {
      return { objects, error: objects.length };
    }
    i = j + 1;
  }
  return { objects };
}

interface Channel {
  next: number;
  acked: Set<number>;
}

export async function hecRoutes(app: FastifyInstance, opts: HecOptions): Promise<void> {
  const { store } = opts;
  const channels = new Map<string, Channel>();
  const maxBytes = opts.maxBytes ?? 100 * 1024 * 1024;

  // HEC clients send any content type (splunk-logging says form-urlencoded): read every body as bytes.
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBytes }, (_req, body, done) => done(null, body));
  app.setErrorHandler((err: { code?: string; statusCode?: number }, req, reply) => {
    if (!req.url.startsWith('/services/collector')) return reply.send(err);
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413) {
      return reply.code(413).send({ text: 'Content-Length is too large', code: 6 });
    }
    return send(reply, 8);
  });

  const auth = (req: FastifyRequest): HecToken => {
    const h = req.headers.authorization;
    const q = (req.query as Record<string, string | undefined>).token;
    if (!h && !q) throw new HecFailure(2);
    let tok: string | undefined;
    if (h) {
      const m = /^Splunk\s+(\S+)$/i.exec(h) ?? /^Basic\s+(\S+)$/i.exec(h);
      if (!m) throw new HecFailure(3);
      tok = /^Basic/i.test(h) ? Buffer.from(m[1]!, 'base64').toString('utf8').split(':').pop() : m[1];
    } else throw new HecFailure(16);
    const found = listTokens(store.dir).find((t) => t.token === tok);
    if (!found) throw new HecFailure(4);
    if (found.disabled) throw new HecFailure(1);
    return found;
  };

  const channelOf = (req: FastifyRequest, token: HecToken): string | undefined => {
    const c = (req.headers['x-splunk-request-channel'] as string | undefined) ?? (req.query as Record<string, string | undefined>).channel;
    if (token.ack && !c) throw new HecFailure(10);
    if (c !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(c)) throw new HecFailure(11);
    return c;
  };

  const bodyText = (req: FastifyRequest): string => {
    let buf = req.body as Buffer | string | undefined;
    if (buf === undefined || buf === null) return '';
    if (typeof buf === 'string') return buf;
    if (req.headers['content-encoding'] === 'gzip') buf = gunzipSync(buf);
    return buf.toString('utf8');
  };

  const indexFor = (token: HecToken, named: unknown, n: number): string => {
    if (named === undefined || named === null || named === '') return token.index;
    const idx = String(named);
    if (idx !== token.index && !token.indexes.includes(idx)) throw new HecFailure(7, n);
    return idx;
  };

  /** Parse one raw text through the sourcetype's format (a CSV, Zeek or Windows line), else keep it as text. */
  const parseRaw = (text: string, sourcetype: string | undefined): EventRecord[] => {
    const format = (sourcetype && formatForSourcetype(sourcetype)) || detectFormat(text, 'hec');
    const out: EventRecord[] = [];
    if (format) {
      const parser = format.open({ fileName: 'hec', tz: opts.tz, sourcetype });
      const sink = { event: (e: EventRecord) => out.push(e), quarantine: () => undefined };
      text.split('\n').forEach((l, i) => parser.line(l, i + 1, 0, sink));
      parser.end(sink);
    }
    return out.length ? out : [{ sourcetype: sourcetype ?? 'httpevent', raw: text, fields: {} }];
  };

  const reply = async (req: FastifyRequest, r: FastifyReply, handler: (token: HecToken) => Promise<number>) => {
    try {
      const token = auth(req);
      const channel = channelOf(req, token);
      const stored = await handler(token);
      void stored;
      if (channel) {
        const ch = channels.get(channel) ?? channels.set(channel, { next: 0, acked: new Set() }).get(channel)!;
        const ackId = ch.next++;
        // Events are committed before the reply is sent: the ack is true at once.
        ch.acked.add(ackId);
        return send(r, 0, { ackId });
      }
      return send(r, 0);
    } catch (e) {
      if (e instanceof HecFailure) return send(r, e.code, e.eventNumber !== undefined ? { 'invalid-event-number': e.eventNumber } : {});
      req.log.error(e);
      return send(r, 8);
    }
  };

  const eventHandler = (req: FastifyRequest, r: FastifyReply) =>
    reply(req, r, async (token) => {
      const text = bodyText(req);
      if (!text.trim()) throw new HecFailure(5);
      const { objects, error } = splitEnvelopes(text);
      const records: (EventRecord & { index: string })[] = [];
      let failure: HecFailure | undefined;
      for (let n = 0; n < objects.length && !failure; n++) {
        try {
          const env = objects[n] as Record<string, unknown>;
          if (env === null || typeof env !== 'object' || !('event' in env)) throw new HecFailure(12, n);
          if (env.event === '' || env.event === null) throw new HecFailure(13, n);
          const index = indexFor(token, env.index, n);
          const st = typeof env.sourcetype === 'string' ? env.sourcetype : token.sourcetype;
          const time = env.time !== undefined ? anyTimeToMicros(env.time, opts.tz) : undefined;
          if (env.time !== undefined && time === undefined) throw new HecFailure(6, n);
          let recs: EventRecord[];
          if (typeof env.event === 'string') recs = parseRaw(env.event, st);
          else {
            const raw = JSON.stringify(env.event);
            recs = [{ sourcetype: st ?? '_json', raw, fields: flatten(env.event as Record<string, unknown>, (st ?? '').startsWith('stream:')) }];
          }
          if (env.fields !== undefined) {
            if (typeof env.fields !== 'object' || env.fields === null || Array.isArray(env.fields)) throw new HecFailure(15, n);
            for (const r of recs) Object.assign(r.fields, env.fields as Record<string, FieldValue>);
          }
          for (const rec of recs) {
            records.push({
              ...rec,
              time: time ?? rec.time,
              host: typeof env.host === 'string' ? env.host : rec.host,
              source: typeof env.source === 'string' ? env.source : rec.source ?? 'http:' + token.name,
              index,
            });
          }
        } catch (e) {
          failure = e instanceof HecFailure ? e : new HecFailure(6, n);
        }
      }
      if (!failure && error !== undefined) failure = new HecFailure(6, error);
      // What came before the bad event is kept, as Splunk does.
      if (records.length) await storeRecords(store, records, { host: req.hostname });
      if (failure) throw failure;
      return records.length;
    });

  for (const path of ['/services/collector', '/services/collector/event', '/services/collector/event/1.0']) app.post(path, eventHandler);

  app.post('/services/collector/raw', (req, r) =>
    reply(req, r, async (token) => {
      const text = bodyText(req);
      if (!text.trim()) throw new HecFailure(5);
      const q = req.query as Record<string, string | undefined>;
      const index = indexFor(token, q.index, 0);
      const recs = parseRaw(text.replace(/\r?\n$/, ''), q.sourcetype ?? token.sourcetype).map((e) => ({ ...e, index, host: q.host ?? e.host, source: q.source ?? e.source ?? 'http:' + token.name }));
      await storeRecords(store, recs, { host: req.hostname });
      return recs.length;
    }),
  );

  app.post('/services/collector/ack', async (req, r) => {
    try {
      const token = auth(req);
      if (!token.ack) throw new HecFailure(14);
      const channel = channelOf(req, token);
      if (!channel) throw new HecFailure(10);
      let body: { acks?: unknown };
      try {
        body = JSON.parse(bodyText(req) || '{}');
      } catch {
        throw new HecFailure(6);
      }
      if (!Array.isArray(body.acks)) throw new HecFailure(6);
      const ch = channels.get(channel);
      return r.send({ acks: Object.fromEntries(body.acks.map((id) => [String(id), !!ch?.acked.has(Number(id))])) });
    } catch (e) {
      if (e instanceof HecFailure) return send(r, e.code);
      throw e;
    }
  });

  app.get('/services/collector/health', (_req, r) => send(r, 17));
  app.get('/services/collector/health/1.0', (_req, r) => send(r, 17));
}
