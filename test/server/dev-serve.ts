/** Dev only: serve the page over a temp store with the stand-in engine (node dist/test/server/dev-serve.js PORT). */
import { buildApp } from '../../src/server/app.js';
import { dnsEvents, fakeEngine, tempStore } from './helpers.js';

const port = Number(process.argv[2] ?? 8077);
const data = await tempStore(dnsEvents(3000), { index: 'botsv2', sourcetype: 'stream:dns' });
const app = await buildApp({ store: data.store, engine: fakeEngine, auth: false, loadOptional: false });
await app.listen({ host: '127.0.0.1', port });
console.log(`dev server on http://127.0.0.1:${port}`);
