import type { HuntDef } from '../src/hunts/types.js';
export const hunt: HuntDef = { id: 'ftp-exfiltration', title: 'x', techniques: [], hypothesis: '', questions: [], steps: [], diamond: { adversary: '', capability: '', infrastructure: [], victim: [] }, detections: [], iocs: [] };
