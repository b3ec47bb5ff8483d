/**
 * The hunts on the Frothly generator's networks (src/gen, branch `gen`): the default variant must
 * give exactly the truth file's findings; the `lookalikes` variant (other seed, addresses, domain,
 * account, files; a nightly backup reading more than the attacker, CDN and AV services with random
 * labels, an internal FTP drop used daily) must still find the adversary and rank look-alikes
 * below it. Skipped when the generator is not in this build. QUARRY_HUNT_SCALE sets the scale
 * (default 0.1: the attack at full size, a tenth of the background). The default network is
 * built once and shared with test/seeds/seeds.test.ts (test/frothly.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { getHunt, runAllHunts, runHunt, type HuntResult } from '../../src/hunts/index.js';
import { loadSavedSearches, runDetections, saveDetections } from '../../src/detect/index.js';
import { runSearch } from '../../src/search/index.js';
import { frothlyNetwork, haveGenerator as haveGen, type FrothlyNet } from '../frothly.js';

const here = dirname(fileURLToPath(import.meta.url));
const SCALE = Number(process.env.QUARRY_HUNT_SCALE ?? 0.1);
const HUNTS = ['data-staging', 'ftp-exfiltration', 'dns-exfiltration'];

interface Truth {
  findings: { role: string; value: string; aliases?: string[] }[];
  adversary?: Record<string, unknown>;
  lookalikes?: { kind: string; domain?: string; src_ip?: string; server?: string }[];
}

interface Net extends Omit<FrothlyNet, 'truth'> {
  truth: Truth;
  results: Map<string, HuntResult>;
}

async function build(variant: string, seed: string, zeekOnly = false): Promise<Net> {
  const net = await frothlyNetwork({ scale: SCALE, seed, variant, zeekOnly });
  const results = new Map<string, HuntResult>();
  for (const h of HUNTS) {
    const t = Date.now();
    results.set(h, await runHunt(net.store, h, { index: 'botsv2', lookupsDir: net.gen }));
    process.stderr.write(`# ${variant}${zeekOnly ? ' (zeek)' : ''} ${h}: ${Date.now() - t} ms\n`);
  }
  return { ...net, truth: net.truth as Truth, results };
}

function byRole(findings: { role: string; value: string }[]): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>();
  for (const f of findings) (m.get(f.role) ?? m.set(f.role, new Set()).get(f.role)!).add(f.value);
  return m;
}

function assertExact(net: Net): void {
  const want = byRole(net.truth.findings);
  const got = byRole([...net.results.values()].flatMap((r) => r.findings));
  for (const role of new Set([...want.keys(), ...got.keys()])) {
    const w = want.get(role) ?? new Set(), g = got.get(role) ?? new Set();
    const missing = [...w].filter((v) => !g.has(v)), extra = [...g].filter((v) => !w.has(v));
    assert.deepEqual({ role, missing: missing.slice(0, 10), extra: extra.slice(0, 10) }, { role, missing: [], extra: [] });
  }
}

describe('hunts on the Frothly network', { skip: haveGen ? false : 'the generator (src/gen) is not in this build' }, () => {
  let def: Net;
  let alt: Net;
  before(async () => {
    def = await build('default', 'frothly');
    alt = await build('lookalikes', 'orchard-2');
  }, { timeout: 1_800_000 });
  after(() => {
    for (const n of [def, alt]) n?.close();
  });

  test('default variant: exactly the truth file\'s findings, each with score, why and evidence', () => {
    assertExact(def);
    for (const r of def.results.values()) {
      for (const f of r.findings) {
        assert.equal(typeof f.score, 'number');
        assert.ok(f.why && !f.why.includes('\n'));
        assert.ok(f.evidence.search.length > 0);
      }
    }
  });

  test('lookalikes variant: the adversary is found, exactly', () => assertExact(alt));

  test('runAllHunts writes one self-contained report per hunt', async () => {
    const outDir = join(def.dir, 'reports');
    const paths = await runAllHunts(def.store, { outDir, format: 'html', index: 'botsv2', lookupsDir: def.gen });
    assert.equal(paths.length, 3);
    for (const p of paths) {
      const html = readFileSync(p, 'utf8');
      assert.ok(html.startsWith('<!doctype html>') && !/<script|<link|src="http/i.test(html), p);
      assert.ok(html.includes('<svg'), `${p} has a chart`);
      assert.ok(html.includes('Diamond model') && html.includes('Detections to operationalize'));
    }
  });

  test('saved detections fire notables once, not again on a re-run', async () => {
    for (const r of def.results.values()) saveDetections(def.store.dir, r, getHunt(r.hunt).detections);
    assert.ok(loadSavedSearches(def.store.dir).length >= 5);
    const first = await runDetections(def.store, { tz: 'UTC' });
    assert.ok(first.written > 0, JSON.stringify(first.searches));
    const again = await runDetections(def.store, { tz: 'UTC' });
    assert.equal(again.written, 0);
    const stored = await runSearch(def.store, 'index=notable | stats count dc(notable_key) as keys by rule', { tz: 'UTC' });
    for (const row of stored.rows) assert.equal(row.count, row.keys);
    const ftpServer = def.truth.findings.find((f) => f.role === 'exfil_destination')!.value;
    assert.ok(first.notables.some((n) => Object.values(n.entities).includes(ftpServer)));
  });

  test('lookalikes variant: CDN and AV look-alikes rank below the tunnel domain', () => {
    const dns = alt.results.get('dns-exfiltration')!;
    const ranking = dns.steps.find((s) => s.id === 'dns-profile')!.ranking!.rows;
    const tunnel = alt.truth.findings.find((f) => f.role === 'tunnel_domain')!.value;
    assert.equal(ranking[0]!.domain, tunnel);
    for (const l of alt.truth.lookalikes ?? []) {
      if (!l.domain) continue;
      const row = ranking.find((r) => r.domain === l.domain);
      if (row) assert.ok(Number(row.score) < Number(ranking[0]!.score), `${l.domain} below ${tunnel}`);
    }
  });

  test('lookalikes variant: the nightly backup is not the staging flow, the internal FTP drop is not a destination', () => {
    const staging = alt.results.get('data-staging')!;
    const flows = staging.steps.find((s) => s.id === 'smb-flows')!.ranking!.rows;
    const backup = alt.truth.lookalikes?.find((l) => l.kind === 'backup');
    const host = alt.truth.findings.find((f) => f.role === 'staging_host')!.value;
    assert.equal(flows[0]!.src, host);
    if (backup?.src_ip) assert.ok(!staging.findings.some((f) => f.value === backup.src_ip));
    const ftp = alt.results.get('ftp-exfiltration')!;
    const internal = alt.truth.lookalikes?.find((l) => l.kind === 'internal_ftp');
    if (internal?.server) assert.ok(!ftp.findings.some((f) => f.value === internal.server));
  });

  test('no hunt file names a truth value of either network', () => {
    const huntDir = join(here, '..', '..', '..', 'hunts');
    const texts = readdirSync(huntDir).filter((f) => /\.(ts|ya?ml)$/.test(f)).map((f) => readFileSync(join(huntDir, f), 'utf8').toLowerCase());
    for (const n of [def, alt]) {
      const values = new Set<string>();
      for (const f of n.truth.findings) for (const v of [f.value, ...(f.aliases ?? [])]) if (v && String(v).length >= 4) values.add(String(v).toLowerCase());
      for (const v of Object.values(n.truth.adversary ?? {})) for (const x of [v].flat()) if (typeof x === 'string' && x.length >= 4) values.add(x.toLowerCase());
      for (const v of values) for (const t of texts) assert.ok(!t.includes(v), `a hunt file names "${v}"`);
    }
  });
});

describe('hunts on the Frothly network seen by Zeek', { skip: haveGen && process.env.QUARRY_HUNT_ZEEK !== '0' ? false : 'no generator in this build (or QUARRY_HUNT_ZEEK=0)' }, () => {
  let z: Net;
  before(async () => {
    z = await build('default', 'frothly', true);
  }, { timeout: 1_800_000 });
  after(() => {
    z?.close();
  });

  test('the same hosts, servers, account and domain from conn/dns/ftp/smb_files logs', () => {
    const want = byRole(z.truth.findings);
    const got = byRole([...z.results.values()].flatMap((r) => r.findings));
    for (const role of ['staging_host', 'staging_source', 'exfil_source', 'exfil_destination', 'exfil_account', 'tunnel_domain', 'tunnel_client', 'tunnel_resolver']) {
      assert.deepEqual([...(got.get(role) ?? [])].sort(), [...(want.get(role) ?? [])].sort(), role);
    }
    // Zeek names the session by uid, not Stream's flow_id: one flow, the same number of files
    assert.equal(got.get('staging_flow')?.size, 1);
    for (const role of ['staged_file', 'exfil_file']) assert.equal(got.get(role)?.size, want.get(role)?.size, role);
    const served = [...z.results.values()].flatMap((r) => r.sourcetypes);
    assert.ok(served.some((s) => s.startsWith('zeek:')), served.join(','));
  });
});

test('no hunt file names a value of the BOTS v2 story (seed write-ups)', () => {
  const huntDir = join(here, '..', '..', '..', 'hunts');
  assert.ok(statSync(huntDir).isDirectory());
  const values = ['160.153.91.7', 'hildegardsfarm', '10.0.2.107', '10.0.2.109', '10.0.1.101', '10.0.1.100', '8.8.8.8', '208.109.255.42', '216.69.185.42', 'd7370639', 'wrk-btun', 'wrk-klagerf', 'venus', 'mercury', 'winsys32', 'winsys64', 'singlefile', 'frothly_passwords', 'topsecretyeast', '31564-pdf', 'dns.py', 'service3', '45.77.65.211', '71.39.18.125', 'billy', 'kevin'];
  for (const f of readdirSync(huntDir).filter((x) => /\.(ts|ya?ml)$/.test(x))) {
    const t = readFileSync(join(huntDir, f), 'utf8').toLowerCase();
    for (const v of values) assert.ok(!t.includes(v), `${f} names "${v}"`);
  }
});
