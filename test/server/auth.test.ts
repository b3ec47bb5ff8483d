import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildApp, type QuarryApp } from '../../src/server/app.js';
import { isLoopback, LoginLimiter, UserStore } from '../../src/server/auth.js';
import { serve } from '../../src/server/index.js';
import { dnsEvents, fakeEngine, tempStore, type TempData } from './helpers.js';

const PUBLIC = new Set(['POST /api/auth/login', 'GET /api/auth/me']);

describe('auth', () => {
  let data: TempData;
  let app: QuarryApp;
  let users: UserStore;
  before(async () => {
    data = await tempStore(dnsEvents(20), { index: 'botsv2', sourcetype: 'stream:dns' });
    users = new UserStore(data.store.dir);
    await users.setPassword('alice', 'correct horse battery');
    app = await buildApp({
      store: data.store,
      engine: fakeEngine,
      auth: true,
      users,
      loadOptional: false,
      loginLimit: { max: 3, windowMs: 60_000 },
    });
    await app.ready();
  });
  after(async () => {
    await app.close();
    data.cleanup();
  });

  const login = (user: string, password: string, ip = '127.0.0.1') =>
    app.inject({ method: 'POST', url: '/api/auth/login', payload: { user, password }, remoteAddress: ip });

  it('every API route refuses without a session or token', async () => {
    const api = app.routeList.filter((r) => r.url.startsWith('/api/') && !PUBLIC.has(`${r.method} ${r.url}`));
    assert.ok(api.length >= 14, `found ${api.length} API routes`);
    const seen = new Set<string>();
    for (const r of api) {
      const url = r.url.replace(':sid', 'x1').replace(':id', 'dns').replace('*', 'anything');
      for (const headers of [{}, { authorization: 'Bearer qry_bogus_token' }, { cookie: 'quarry_session=forged' }]) {
        const res = await app.inject({ method: r.method as 'GET', url, headers, payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {} });
        assert.equal(res.statusCode, 401, `${r.method} ${r.url} with ${JSON.stringify(headers)} gave ${res.statusCode}`);
      }
      seen.add(`${r.method} ${r.url}`);
    }
    for (const must of ['POST /api/search/jobs', 'GET /api/search/jobs/:sid', 'GET /api/search/jobs/:sid/events', 'GET /api/search/jobs/:sid/results', 'GET /api/search/jobs/:sid/timeline', 'GET /api/search/jobs/:sid/summary', 'DELETE /api/search/jobs/:sid', 'GET /api/indexes', 'GET /api/hunts', 'POST /api/hunts/:id/run']) {
      assert.ok(seen.has(must), `${must} checked`);
    }
    // the page itself loads (it shows the login form), the API does not
    assert.equal((await app.inject({ url: '/api/auth/me' })).json().user, null);
  });

  it('logs in with an HttpOnly SameSite cookie and serves the API with it', async () => {
    const r = await login('alice', 'correct horse battery');
    assert.equal(r.statusCode, 200);
    const cookie = String(r.headers['set-cookie']);
    assert.match(cookie, /quarry_session=[\w-]{40,}/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    const session = cookie.split(';')[0]!;
    const me = await app.inject({ url: '/api/auth/me', headers: { cookie: session } });
    assert.equal(me.json().user, 'alice');
    const idx = await app.inject({ url: '/api/indexes', headers: { cookie: session } });
    assert.equal(idx.statusCode, 200);
    const job = await app.inject({ method: 'POST', url: '/api/search/jobs', headers: { cookie: session }, payload: { search: 'index=botsv2' } });
    assert.equal(job.statusCode, 201);
    // logout ends the session
    await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: session } });
    assert.equal((await app.inject({ url: '/api/indexes', headers: { cookie: session } })).statusCode, 401);
  });

  it('accepts API tokens as Authorization: Bearer', async () => {
    const { token } = users.createToken('alice', 'script');
    const r = await app.inject({ url: '/api/indexes', headers: { authorization: `Bearer ${token}` } });
    assert.equal(r.statusCode, 200);
    assert.equal((await app.inject({ url: '/api/indexes', headers: { authorization: `Bearer ${token}x` } })).statusCode, 401);
    assert.equal((await app.inject({ url: '/api/indexes', headers: { authorization: `Basic ${token}` } })).statusCode, 401);
  });

  it('rate-limits failed logins per address and per user', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await login('bob', 'nope', '10.9.9.9')).statusCode, 401);
    const blocked = await login('alice', 'correct horse battery', '10.9.9.9');
    assert.equal(blocked.statusCode, 429, 'the address is blocked even with the right password');
    assert.ok(Number(blocked.headers['retry-after']) > 0);
    for (let i = 0; i < 3; i++) await login('carol', 'nope', `10.8.8.${i}`);
    assert.equal((await login('carol', 'nope', '10.8.8.200')).statusCode, 429, 'the user name is blocked from any address');
    assert.equal((await login('alice', 'correct horse battery', '10.7.7.7')).statusCode, 200);
  });

  it('the limiter forgets after its window', () => {
    const l = new LoginLimiter(2, 1);
    l.fail(['k']);
    l.fail(['k']);
    const until = Date.now() + 5;
    while (Date.now() < until) {
      /* wait out the 1 ms window */
    }
    assert.equal(l.retryAfter(['k']), 0);
  });

  it('stores argon2id hashes, never the password', async () => {
    const raw = (await import('node:fs')).readFileSync(users.path, 'utf8');
    assert.match(raw, /\$argon2id\$/);
    assert.doesNotMatch(raw, /correct horse/);
    assert.equal(await users.verify('alice', 'wrong password'), null);
    assert.equal(await users.verify('alice', 'correct horse battery'), 'alice');
  });

  it('mounts a plugin (the HEC) outside /api with one line; it does its own auth', async () => {
    const hecLike = async (f: import('fastify').FastifyInstance, o: { store: unknown }) => {
      f.get('/services/collector/health', async () => ({ text: 'HEC is healthy', code: 17, store: o.store ? 'yes' : 'no' }));
    };
    const withHec = await buildApp({ store: data.store, engine: fakeEngine, auth: true, users, loadOptional: false, plugins: [hecLike] });
    try {
      const r = await withHec.inject({ url: '/services/collector/health' });
      assert.equal(r.statusCode, 200);
      assert.deepEqual(r.json(), { text: 'HEC is healthy', code: 17, store: 'yes' });
      assert.match(String(r.headers['content-security-policy']), /default-src 'none'/);
      assert.equal((await withHec.inject({ url: '/api/indexes' })).statusCode, 401);
    } finally {
      await withHec.close();
    }
  });

  it('refuses to listen off loopback without users; loopback alone is open', async () => {
    const empty = await tempStore(dnsEvents(1));
    try {
      await assert.rejects(serve({ store: empty.store, host: '0.0.0.0', port: 0 }), /needs a password/);
      assert.ok(isLoopback('127.0.0.1') && isLoopback('::1') && isLoopback('localhost') && !isLoopback('0.0.0.0'));
    } finally {
      empty.cleanup();
    }
  });
});
