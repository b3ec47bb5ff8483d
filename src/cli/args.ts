/** Shared CLI plumbing: option parsing with node's parseArgs, common options, exit codes. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { defaultDataDir } from '../store/index.js';
import { checkZone, localTimeZone } from '../time/zone.js';

export class UsageError extends Error {}

export const COMMON = {
  data: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, allowPositionals = true) {
  try {
    return parseArgs({ args: argv, options: { ...COMMON, ...options }, allowPositionals, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function dataDir(v: unknown): string {
  return typeof v === 'string' && v ? v : defaultDataDir();
}

export function zone(v: unknown): string {
  return checkZone(typeof v === 'string' && v ? v : localTimeZone());
}

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}
