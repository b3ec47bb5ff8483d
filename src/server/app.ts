/**
 * The workbench HTTP server: the JSON API under /api, the built page from dist/web, and room for
 * plugins such as the HTTP Event Collector (which does its own token auth under /services).
 *
 * Auth applies to every /api route except login and "who am I"; a route added later is covered
 * because the check is an onRequest hook over the /api prefix, not a per-route opt-in.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Store } from '../store/index.js';
import { JobError, JobManager, type JobManagerOptions, type OutField, type Row, type SearchEngine } from '../search/job.js';
import { LoginLimiter, parseCookies, Sessions, SESSION_COOKIE, UserStore } from './auth.js';
import { toCsv, toJsonLines } from './export.js';
import { HuntRuns, reportCsp } from './hunt-runs.js';
import { loadHec, loadHunts, loadVocabulary, type HuntsModule } from './optional.js';

export interface AppOptions {
  store: Store;
  engine: SearchEngine;
  /** require a login or token for /api (always true off loopback) */
  auth: boolean;
  users?: UserStore;
  /** directory with the built page (default: dist/web next to this module) */
  webDir?: string;
  jobs?: JobManagerOptions;
  /** Fastify plugins to register (e.g. the HEC), each with `{ store }` */
  plugins?: FastifyPluginAsync<{ store: Store }>[];
  /** load optional modules (hunts, HEC) found in the build (default true) */
  loadOptional?: boolean;
  logger?: boolean;
  loginLimit?: { max: number; windowMs: number };
  hunts?: HuntsModule | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    user?: string | null;
    cspNonce?: string;
  }
}

export type QuarryApp = FastifyInstance & { jobs: JobManager; routeList: { method: string; url: string }[] };

export function defaultWebDir(): string {
  // dist/src/server/app.js → dist/web
  return fileURLToPath(new URL('../../web/', import.meta.url));
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

function csp(nonce: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

function intParam(v: unknown, dflt: number, min: number, max: number): number {
  const n = typeof v === 'string' && v !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n)) return dflt;
  return Math.min(max, Math.max(min, Math.floor(n)));
}

export async function buildApp(opts: AppOptions): Promise<QuarryApp> {
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: 1 << 20, trustProxy: false });
  const jobs = new JobManager(opts.store, opts.engine, opts.jobs);
  const users = opts.users ?? new UserStore(opts.store.dir);
  const sessions = new Sessions();
  const limiter = new LoginLimiter(opts.loginLimit?.max, opts.loginLimit?.windowMs);
  const webDir = resolve(opts.webDir ?? defaultWebDir());
  const hunts = opts.hunts !== undefined ? opts.hunts : opts.loadOptional === false ? null : await loadHunts();
  app.addHook('onClose', async () => jobs.close());
  const routes: { method: string; url: string }[] = [];
  app.addHook('onRoute', (r) => {
    for (const m of [r.method].flat()) if (m !== 'HEAD') routes.push({ method: m, url: r.url });
  });

  // --- security headers on everything --------------------------------------------------------
  app.addHook('onRequest', async (req, reply) => {
    const nonce = randomBytes(16).toString('base64');
    req.cspNonce = nonce;
    reply.header('Content-Security-Policy', csp(nonce));
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    reply.header('Cross-Origin-Resource-Policy', 'same-origin');
  });

  // --- auth ----------------------------------------------------------------------------------
  const PUBLIC_API = new Set(['/api/auth/login', '/api/auth/me']);
  const identify = (req: FastifyRequest): string | null => {
    const authz = req.headers.authorization;
    if (authz && /^Bearer\s+/i.test(authz)) return users.tokenUser(authz.replace(/^Bearer\s+/i, '').trim());
    return sessions.user(parseCookies(req.headers.cookie)[SESSION_COOKIE]);
  };
  app.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0]!;
    if (!path.startsWith('/api/') && path !== '/api') return;
    // Cross-site requests that change state are refused whatever the credentials.
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const origin = req.headers.origin;
      if (origin && req.headers.host && origin !== `http://${req.headers.host}` && origin !== `https://${req.headers.host}`) {
        return reply.code(403).send({ message: 'cross-origin request refused' });
      }
    }
    req.user = opts.auth ? identify(req) : 'local';
    if (!opts.auth || PUBLIC_API.has(path)) return;
    if (!req.user) {
      reply.header('WWW-Authenticate', 'Bearer realm="quarry"');
      return reply.code(401).send({ message: 'authentication required' });
    }
  });

  app.setErrorHandler((err: unknown, _req, reply) => {
    if (err instanceof JobError) {
      return reply.code(err.status).send({ message: err.message, ...(err.detail ?? {}) });
    }
    const e = err as { statusCode?: number; message?: string; span?: { start: number; end: number }; hint?: string };
    if (e?.span && typeof e.span.start === 'number') {
      return reply.code(400).send({ message: e.message, span: e.span, hint: e.hint });
    }
    const code = e?.statusCode && e.statusCode >= 400 && e.statusCode < 500 ? e.statusCode : 500;
    if (code === 500) app.log.error(err);
    return reply.code(code).send({ message: code === 500 ? `internal error: ${e?.message ?? 'unknown'}` : e?.message });
  });

  app.get('/api/auth/me', async (req) => ({ user: req.user ?? null, authRequired: opts.auth }));

  app.post('/api/auth/login', async (req, reply) => {
    const body = (req.body ?? {}) as { user?: unknown; password?: unknown };
    if (!opts.auth) return { user: 'local', authRequired: false };
    const name = typeof body.user === 'string' ? body.user : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const keys = [`ip:${req.ip}`, `user:${name.toLowerCase()}`];
    const wait = limiter.retryAfter(keys);
    if (wait > 0) {
      reply.header('Retry-After', String(wait));
      return reply.code(429).send({ message: `too many failed logins; try again in ${wait} s` });
    }
    const user = name && password ? await users.verify(name, password) : null;
    if (!user) {
      limiter.fail(keys);
      return reply.code(401).send({ message: 'wrong user name or password' });
    }
    limiter.succeed(keys);
    const sid = sessions.create(user);
    reply.header(
      'Set-Cookie',
      `${SESSION_COOKIE}=${sid}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${12 * 3600}${req.protocol === 'https' ? '; Secure' : ''}`,
    );
    return { user, authRequired: true };
  });

  app.post('/api/auth/logout', async (req, reply) => {
    sessions.destroy(parseCookies(req.headers.cookie)[SESSION_COOKIE]);
    reply.header('Set-Cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
    return { ok: true };
  });

  app.post('/api/auth/tokens', async (req, reply) => {
    if (!opts.auth || !req.user) return reply.code(400).send({ message: 'tokens need auth to be on' });
    const body = (req.body ?? {}) as { label?: unknown };
    return users.createToken(req.user, typeof body.label === 'string' ? body.label.slice(0, 100) : undefined);
  });

  // --- data ----------------------------------------------------------------------------------
  app.get('/api/indexes', async () => {
    const cat = await opts.store.catalog();
    const byIndex = new Map<string, { index: string; eventCount: number; earliest: number | null; latest: number | null; sourcetypes: unknown[] }>();
    for (const c of cat) {
      let e = byIndex.get(c.index);
      if (!e) byIndex.set(c.index, (e = { index: c.index, eventCount: 0, earliest: null, latest: null, sourcetypes: [] }));
      e.eventCount += c.eventCount;
      if (c.earliest !== null) e.earliest = e.earliest === null ? c.earliest : Math.min(e.earliest, c.earliest);
      if (c.latest !== null) e.latest = e.latest === null ? c.latest : Math.max(e.latest, c.latest);
      e.sourcetypes.push({ sourcetype: c.sourcetype, eventCount: c.eventCount, earliest: c.earliest, latest: c.latest, fields: c.fields });
    }
    return { indexes: [...byIndex.values()] };
  });

  app.get('/api/completions', async () => {
    const v = loadVocabulary(opts.store.dir);
    const cat = await opts.store.catalog();
    const fields = new Set<string>(['_time', '_raw', 'index', 'sourcetype', 'source', 'host']);
    for (const c of cat) for (const f of c.fields) fields.add(f.name);
    return {
      ...v,
      fields: [...fields].sort(),
      indexes: [...new Set(cat.map((c) => c.index))].sort(),
      sourcetypes: [...new Set(cat.map((c) => c.sourcetype))].sort(),
    };
  });

  // --- search jobs ---------------------------------------------------------------------------
  app.post('/api/search/jobs', async (req, reply) => {
    const b = (req.body ?? {}) as { search?: unknown; earliest?: unknown; latest?: unknown; tz?: unknown };
    if (typeof b.search !== 'string') return reply.code(400).send({ message: 'search (string) is required' });
    const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
    const tz = str(b.tz) ?? 'UTC';
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
    } catch {
      return reply.code(400).send({ message: `unknown time zone ${tz}` });
    }
    const st = await jobs.create(b.search, { earliest: str(b.earliest), latest: str(b.latest), tz });
    return reply.code(201).send({ sid: st.sid });
  });

  app.get('/api/search/jobs', async () => ({ jobs: jobs.list() }));

  app.get<{ Params: { sid: string } }>('/api/search/jobs/:sid', async (req) => jobs.get(req.params.sid).status());

  app.get<{ Params: { sid: string }; Querystring: { offset?: string; count?: string } }>(
    '/api/search/jobs/:sid/events',
    async (req) => {
      const job = jobs.get(req.params.sid);
      return job.events(intParam(req.query.offset, 0, 0, 1e9), intParam(req.query.count, 50, 1, 1000));
    },
  );

  app.get<{ Params: { sid: string }; Querystring: { offset?: string; count?: string } }>(
    '/api/search/jobs/:sid/results',
    async (req) => {
      const job = jobs.get(req.params.sid);
      return job.results(intParam(req.query.offset, 0, 0, 1e9), intParam(req.query.count, 1000, 1, 50_000));
    },
  );

  app.get<{ Params: { sid: string } }>('/api/search/jobs/:sid/timeline', async (req) => jobs.get(req.params.sid).getTimeline());
  app.get<{ Params: { sid: string } }>('/api/search/jobs/:sid/summary', async (req) => jobs.get(req.params.sid).getSummary());

  app.get<{ Params: { sid: string }; Querystring: { format?: string } }>('/api/search/jobs/:sid/export', async (req, reply) => {
    const job = jobs.get(req.params.sid);
    const format = req.query.format === 'json' ? 'json' : 'csv';
    const { fields, rows } = await job.allRows();
    const visible: OutField[] = job.status().transforming ? fields : fields;
    const name = `quarry-${job.sid}.${format}`;
    reply.header('Content-Disposition', `attachment; filename="${name}"`);
    if (format === 'csv') {
      reply.type('text/csv; charset=utf-8');
      return toCsv(visible.map((f) => f.name), rows as Row[]);
    }
    reply.type('application/json; charset=utf-8');
    return toJsonLines(visible.map((f) => f.name), rows as Row[]);
  });

  app.delete<{ Params: { sid: string } }>('/api/search/jobs/:sid', async (req) => {
    const st = jobs.remove(req.params.sid);
    return { sid: st.sid, state: st.state };
  });

  // --- hunts ---------------------------------------------------------------------------------
  const huntRuns = hunts ? new HuntRuns(opts.store, hunts) : null;
  const huntBody = (body: unknown) => {
    const b = (body ?? {}) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
    return { index: str(b.index), earliest: str(b.earliest), latest: str(b.latest), tz: str(b.tz) ?? 'UTC' };
  };
  app.get('/api/hunts', async (_req, reply) => {
    if (!huntRuns) return reply.code(501).send({ message: 'hunts not installed' });
    return { hunts: await huntRuns.list() };
  });
  // run and answer the whole result at once (for scripts)
  app.post<{ Params: { id: string } }>('/api/hunts/:id/run', async (req, reply) => {
    if (!hunts) return reply.code(501).send({ message: 'hunts not installed' });
    return hunts.runHunt(opts.store, req.params.id, huntBody(req.body));
  });
  // start a run that the page polls: steps appear as they complete
  app.post<{ Params: { id: string } }>('/api/hunts/:id/runs', async (req, reply) => {
    if (!huntRuns) return reply.code(501).send({ message: 'hunts not installed' });
    const run = await huntRuns.start(req.params.id, huntBody(req.body));
    if (!run) return reply.code(404).send({ message: `no hunt "${req.params.id}"` });
    return reply.code(201).send({ rid: run.rid });
  });
  app.get<{ Params: { rid: string } }>('/api/hunts/runs/:rid', async (req, reply) => {
    const run = huntRuns?.get(req.params.rid);
    return run ? run.status : reply.code(404).send({ message: 'no such hunt run' });
  });
  app.get<{ Params: { rid: string; n: string } }>('/api/hunts/runs/:rid/steps/:n/chart.svg', async (req, reply) => {
    const svg = huntRuns?.get(req.params.rid)?.charts.get(Number(req.params.n));
    if (!svg) return reply.code(404).send({ message: 'no such chart' });
    reply.header('Content-Security-Policy', "default-src 'none'; style-src 'none'; frame-ancestors 'none'");
    return reply.type('image/svg+xml; charset=utf-8').send(svg);
  });
  // the last saved HTML report of a hunt (written by a run from the page or by `quarry demo`)
  app.get<{ Params: { id: string } }>('/api/hunts/:id/report', async (req, reply) => {
    const file = huntRuns?.reportFile(req.params.id);
    if (!file) return reply.code(404).send({ message: 'no saved report for this hunt: run it first' });
    const html = readFileSync(file, 'utf8');
    reply.header('Content-Security-Policy', reportCsp(html));
    reply.header('Cache-Control', 'no-store');
    return reply.type('text/html; charset=utf-8').send(html);
  });

  app.all('/api/*', async (_req, reply) => reply.code(404).send({ message: 'no such API route' }));

  // --- plugins (HEC and friends): one line each ----------------------------------------------
  for (const p of opts.plugins ?? []) await app.register(p, { store: opts.store });
  if (opts.loadOptional !== false) {
    const hec = (await loadHec()) as FastifyPluginAsync<{ store: Store }> | null;
    if (hec) await app.register(hec, { store: opts.store });
  }

  // --- the page ------------------------------------------------------------------------------
  const sendFile = (reply: FastifyReply, file: string) => {
    reply.type(MIME[extname(file)] ?? 'application/octet-stream');
    reply.header('Cache-Control', 'no-cache');
    return reply.send(readFileSync(file));
  };
  const sendIndex = (req: FastifyRequest, reply: FastifyReply) => {
    const file = join(webDir, 'index.html');
    if (!existsSync(file)) return reply.code(503).type('text/plain').send('the page is not built: run `npm run build`');
    const html = readFileSync(file, 'utf8').replaceAll('__CSP_NONCE__', req.cspNonce ?? '');
    reply.header('Cache-Control', 'no-store');
    return reply.type('text/html; charset=utf-8').send(html);
  };
  app.get('/', async (req, reply) => sendIndex(req, reply));
  app.get('/search', async (req, reply) => sendIndex(req, reply));
  app.get('/hunts', async (req, reply) => sendIndex(req, reply));
  app.get<{ Params: { '*': string } }>('/assets/*', async (req, reply) => {
    const rel = normalize(req.params['*']).replace(/^(\.\.(\/|\\|$))+/, '');
    const file = resolve(webDir, 'assets', rel);
    if (!file.startsWith(resolve(webDir, 'assets') + sep) || !existsSync(file)) return reply.code(404).send({ message: 'not found' });
    return sendFile(reply, file);
  });
  app.get('/favicon.ico', async (_req, reply) => reply.code(204).send());

  const out = app as unknown as QuarryApp;
  out.jobs = jobs;
  out.routeList = routes;
  return out;
}
