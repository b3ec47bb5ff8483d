/** The pickers a hunt file can name in `pick.use`. */
import { census } from './census.js';
import { dnsTunnels } from './dns.js';
import { ftpPairs, ftpProcesses, ftpTransmissions } from './ftp.js';
import { stagedFiles, stagingLink, stagingOutliers } from './staging.js';
import type { Picker } from './types.js';

export const PICKERS: Record<string, Picker> = {
  census,
  dnsTunnels,
  ftpPairs,
  ftpTransmissions,
  ftpProcesses,
  stagingOutliers,
  stagedFiles,
  stagingLink,
};

export type { Picker, PickContext, PickResult } from './types.js';
