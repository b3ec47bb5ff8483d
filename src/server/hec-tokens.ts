/** HEC tokens, kept in the data directory: which index each may write and whether it acknowledges. */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface HecToken {
  name: string;
  token: string;
  /** default index for events that name none */
  index: string;
  /** indexes events may name (the default index is always allowed) */
  indexes: string[];
  sourcetype?: string;
  /** indexer acknowledgement: requests need a channel and get an ackId */
  ack: boolean;
  disabled: boolean;
}

const file = (dir: string) => join(dir, 'hec-tokens.json');

export function listTokens(dir: string): HecToken[] {
  return existsSync(file(dir)) ? (JSON.parse(readFileSync(file(dir), 'utf8')) as HecToken[]) : [];
}

export function addToken(dir: string, t: Omit<HecToken, 'token' | 'disabled'> & { token?: string }): HecToken {
  const tokens = listTokens(dir);
  if (tokens.some((x) => x.name === t.name)) throw new Error(`a token named "${t.name}" exists already`);
  const tok: HecToken = { ...t, token: t.token ?? randomUUID(), disabled: false };
  mkdirSync(dir, { recursive: true });
  writeFileSync(file(dir), JSON.stringify([...tokens, tok], null, 2), { mode: 0o600 });
  return tok;
}
