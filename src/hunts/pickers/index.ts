/** The pickers a hunt file can name in `pick.use`. */
import { census } from './census.js';
import { dnsTunnels } from './dns.js';
import { ftpPairs, ftpProcesses, ftpTransmissions } from './ftp.js';
import type { Picker } from './types.js';

export const PICKERS: Record<string, Picker> = {
  census,
  dnsTunnels,
  ftpPairs,
  ftpTransmissions,
  ftpProcesses,
};

export type { Picker, PickContext, PickResult } from './types.js';
