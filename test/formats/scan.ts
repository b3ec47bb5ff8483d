// Dev tool: scan all samples, print per-file format, events, quarantines (reasons grouped).
import { runFile, sampleFiles } from './helpers.js';
const only = process.argv[2];
for (const f of sampleFiles()) {
  if (only && !f.includes(only)) continue;
  const r = await runFile(f);
  const reasons = new Map<string, number>();
  for (const q of r.quarantined) reasons.set(q.reason, (reasons.get(q.reason) ?? 0) + 1);
  const sts = new Set(r.events.map((e) => e.sourcetype));
  console.log(`${r.format?.id ?? 'NONE'}\t${r.events.length}\t${r.quarantined.length}\t${f.replace(/.*samples\//, '')}\t${[...sts].join(',')}\t${[...reasons].map(([k, v]) => `${v}x ${k}`).join(' | ')}`);
}
