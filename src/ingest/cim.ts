import type { FieldValue } from './event.js';

/** Splunk-CIM names as aliases of a sourcetype's native fields: alias → native. */
const ALIASES: [RegExp, Record<string, string>][] = [
  [/^stream:/, { src: 'src_ip', dest: 'dest_ip', src_port: 'src_port', dest_port: 'dest_port' }],
];

/** Add CIM-style alias fields beside the native ones; a native field of the same name always wins. */
export function addCimAliases(sourcetype: string, fields: Record<string, FieldValue>): void {
  for (const [re, map] of ALIASES) {
    if (!re.test(sourcetype)) continue;
    for (const [alias, native] of Object.entries(map)) {
      if (fields[alias] === undefined && fields[native] !== undefined) fields[alias] = fields[native]!;
    }
  }
}
