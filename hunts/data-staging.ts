import type { HuntDef } from '../src/hunts/types.js';
export const hunt: HuntDef = { id: 'data-staging', title: 'x', techniques: [], hypothesis: '', questions: [], steps: [], diamond: { adversary: '', capability: '', infrastructure: [], victim: [] }, detections: [], iocs: [] };
