/**
 * `quarry serve`: the workbench. Loopback without a password is allowed; any other address
 * needs users (`quarry user add NAME`).
 */
import { Store, defaultDataDir } from '../store/index.js';
import { buildApp, type QuarryApp } from './app.js';
import { isLoopback, UserStore } from './auth.js';
import { loadEngine } from './engine.js';

export { buildApp, type AppOptions, type QuarryApp } from './app.js';
export { UserStore, Sessions, LoginLimiter, isLoopback } from './auth.js';

export interface ServeOptions {
  dataDir?: string;
  host?: string;
  port?: number;
  /** force auth on loopback too */
  auth?: boolean;
  logger?: boolean;
  store?: Store;
}

export interface Serving {
  app: QuarryApp;
  url: string;
  auth: boolean;
  close(): Promise<void>;
}

export async function serve(opts: ServeOptions = {}): Promise<Serving> {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? 8000;
  const store = opts.store ?? (await Store.open(opts.dataDir ?? defaultDataDir()));
  const users = new UserStore(store.dir);
  const loopback = isLoopback(host);
  const auth = !loopback || opts.auth === true || users.hasUsers();
  if (auth && !users.hasUsers()) {
    if (!opts.store) store.close();
    throw new Error(
      `listening on ${host} needs a password: add a user first with \`quarry user add NAME --data ${store.dir}\` (or listen on 127.0.0.1)`,
    );
  }
  const engine = await loadEngine();
  const app = await buildApp({ store, engine, auth, users, logger: opts.logger });
  const url = await app.listen({ host, port });
  return {
    app,
    url: url.replace('://[::1]', '://localhost'),
    auth,
    async close() {
      await app.close();
      if (!opts.store) store.close();
    },
  };
}
