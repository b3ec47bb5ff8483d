/** HEC as Splunk's clients see it: the real splunk-logging library, then each error case by hand. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { runSearch } from '../../src/search/index.js';
import { addToken } from '../../src/server/hec-tokens.js';
import { hecRoutes } from '../../src/server/hec.js';
import { Store } from '../../src/store/index.js';
import { tempDir } from '../util.js';

const require = createRequire(import.meta.url);
const SplunkLogger = require('splunk-logging').Logger;

let app: FastifyInstance;
let store: Store;
let dir: string;
let url: string;
let token: string;
let ackToken: string;

before(async () => {
  dir = tempDir();
  store = await Store.open(dir);
  token = addToken(dir, { name: 'app', index: 'hec', indexes: ['hec2'], ack: false }).token;
  ackToken = addToken(dir, { name: 'acked', index: 'hec', indexes: [], ack: true }).token;
  app = Fastify();
  await app.register(hecRoutes, { store, tz: 'UTC', maxBytes: 1024 * 1024 });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
});
after(async () => {
  await app.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = async (spl: string) => Number((await runSearch(store, `${spl} | stats count`, { tz: 'UTC' })).rows[0]!.count);

async function post(path: string, body: string, headers: Record<string, string> = {}) {
  const r = await fetch(url + path, { method: 'POST', body, headers: { Authorization: `Splunk ${token}`, ...headers } });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

test('splunk-logging: 10,000 events in batches, acknowledged, all searchable, none twice', async () => {
  const channel = randomUUID();
  const logger = new SplunkLogger({ token: ackToken, url, maxBatchCount: 500 });
  logger.requestOptions.headers = { 'X-Splunk-Request-Channel': channel };
  const ackIds: number[] = [];
  logger.error = (err: Error) => assert.fail(err);
  // splunk-logging calls back once per flushed batch (every 500 sends here).
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${ackIds.length} batches answered`)), 60_000);
    for (let i = 0; i < 10_000; i++) {
      logger.send({ message: { n: i, user: `u${i % 7}` }, metadata: { source: 'bench', sourcetype: 'app:json', index: 'hec' } }, (err: Error | null, _resp: unknown, body: { code: number; ackId?: number } | undefined) => {
        if (err) return reject(err);
        assert.equal(body?.code, 0);
        if (body?.ackId !== undefined) ackIds.push(body.ackId);
        if (ackIds.length === 20) {
          clearTimeout(timer);
          resolve();
        }
      });
    }
  });
  assert.equal(ackIds.length, 20, '20 batches of 500, each with an ackId');
  const acks = await fetch(`${url}/services/collector/ack?channel=${channel}`, { method: 'POST', headers: { Authorization: `Splunk ${ackToken}` }, body: JSON.stringify({ acks: ackIds }) });
  const ackBody = (await acks.json()) as { acks: Record<string, boolean> };
  assert.ok(Object.values(ackBody.acks).every((v) => v === true), 'every batch acknowledged as stored');
  const r = await runSearch(store, 'index=hec sourcetype=app:json | stats count dc(message.n) AS distinct', { tz: 'UTC' });
  assert.deepEqual(r.rows, [{ count: 10_000, distinct: 10_000 }]);
});

test('a token with acknowledgement needs a channel', async () => {
  const r = await fetch(url + '/services/collector/event', { method: 'POST', body: '{"event":"x"}', headers: { Authorization: `Splunk ${ackToken}` } });
  assert.equal(r.status, 400);
  assert.deepEqual(await r.json(), { text: 'Data channel is missing', code: 10 });
});

test("Splunk's codes: no token, bad token, wrong index, malformed JSON, no data, oversized", async () => {
  const noAuth = await fetch(url + '/services/collector/event', { method: 'POST', body: '{"event":"x"}' });
  assert.deepEqual([noAuth.status, await noAuth.json()], [401, { text: 'Token is required', code: 2 }]);
  assert.deepEqual(await post('/services/collector/event', '{"event":"x"}', { Authorization: 'Bearer abc' }), { status: 401, body: { text: 'Invalid authorization', code: 3 } });
  assert.deepEqual(await post('/services/collector/event', '{"event":"x"}', { Authorization: 'Splunk nope' }), { status: 403, body: { text: 'Invalid token', code: 4 } });
  assert.deepEqual(await post('/services/collector/event', '   '), { status: 400, body: { text: 'No data', code: 5 } });

  const before = await count('index=hec sourcetype=mixed');
  const wrongIndex = await post('/services/collector/event', '{"event":"ok1","sourcetype":"mixed"}{"event":"bad","index":"secret","sourcetype":"mixed"}{"event":"after","sourcetype":"mixed"}');
  assert.deepEqual(wrongIndex, { status: 400, body: { text: 'Incorrect index', code: 7, 'invalid-event-number': 1 } });
  const malformed = await post('/services/collector/event', '{"event":"ok2","sourcetype":"mixed"}\n{"event": "broken",,}');
  assert.deepEqual(malformed, { status: 400, body: { text: 'Invalid data format', code: 6, 'invalid-event-number': 1 } });
  assert.equal(await count('index=hec sourcetype=mixed'), before + 2, 'the events before the bad one are kept');
  assert.equal(await count('index=secret'), 0);

  const big = await post('/services/collector/event', JSON.stringify({ event: 'x'.repeat(2 * 1024 * 1024) }));
  assert.equal(big.status, 413);
  assert.equal(big.body.code, 6);
  const ok = await post('/services/collector/event', '{"event":{"msg":"fine"},"index":"hec2","time":"1503600000.5","host":"h1","fields":{"env":"prod"}}');
  assert.deepEqual(ok, { status: 200, body: { text: 'Success', code: 0 } });
  const row = (await runSearch(store, 'index=hec2 | table _time host msg env', { tz: 'UTC' })).rows[0]!;
  assert.deepEqual(row, { _time: 1503600000.5e6, host: 'h1', msg: 'fine', env: 'prod' });
});

test('/raw parses lines by the sourcetype, /health answers', async () => {
  const lines = ['{"endtime":"2017-08-25T10:00:00Z","timestamp":"2017-08-25T10:00:00Z","src_ip":"10.0.0.1","dest_ip":"8.8.8.8","flow_id":"a","query":["x.example.com"],"message_type":["QUERY"],"protocol_stack":"ip:udp:dns"}', '{"endtime":"2017-08-25T10:00:01Z","timestamp":"2017-08-25T10:00:01Z","src_ip":"10.0.0.2","dest_ip":"8.8.8.8","flow_id":"b","query":["y.example.com"],"message_type":["QUERY"],"protocol_stack":"ip:udp:dns"}'];
  const r = await post('/services/collector/raw?sourcetype=stream:dns&index=hec', lines.join('\n'));
  assert.equal(r.status, 200);
  const rows = (await runSearch(store, 'index=hec sourcetype=stream:dns | sort src | table src query', { tz: 'UTC' })).rows;
  assert.deepEqual(rows, [{ src: '10.0.0.1', query: 'x.example.com' }, { src: '10.0.0.2', query: 'y.example.com' }], 'CIM src alias filled, as for files');
  const h = await fetch(url + '/services/collector/health');
  assert.deepEqual([h.status, await h.json()], [200, { text: 'HEC is healthy', code: 17 }]);
});
