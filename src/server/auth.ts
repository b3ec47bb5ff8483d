/**
 * Users, sessions, API tokens and the failed-login limiter.
 *
 * Users live in `<data dir>/users.json` (mode 0600): argon2id password hashes, and API tokens
 * stored only as SHA-256 digests (a token is shown once, when it is made). Sessions are kept in
 * memory (a restart logs everyone out) and carried by an HttpOnly, SameSite=Strict cookie.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';

export interface UserRecord {
  name: string;
  hash: string;
  created: string;
}
export interface TokenRecord {
  id: string;
  user: string;
  /** sha256 hex of the token */
  digest: string;
  label?: string;
  created: string;
}
interface UsersFile {
  users: UserRecord[];
  tokens: TokenRecord[];
}

export const SESSION_COOKIE = 'quarry_session';
const NAME_RE = /^[A-Za-z0-9_.@-]{1,64}$/;

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

export class UserStore {
  readonly path: string;
  constructor(dataDir: string) {
    this.path = join(dataDir, 'users.json');
  }

  private read(): UsersFile {
    if (!existsSync(this.path)) return { users: [], tokens: [] };
    const f = JSON.parse(readFileSync(this.path, 'utf8')) as Partial<UsersFile>;
    return { users: f.users ?? [], tokens: f.tokens ?? [] };
  }

  private write(f: UsersFile): void {
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify(f, null, 2) + '\n', { mode: 0o600 });
    renameSync(tmp, this.path);
    try {
      chmodSync(this.path, 0o600);
    } catch {
      /* best effort */
    }
  }

  hasUsers(): boolean {
    return this.read().users.length > 0;
  }

  listUsers(): string[] {
    return this.read().users.map((u) => u.name);
  }

  /** Add a user or replace their password. */
  async setPassword(name: string, password: string): Promise<'added' | 'updated'> {
    if (!NAME_RE.test(name)) throw new Error(`user name must match ${NAME_RE}`);
    if (password.length < 8) throw new Error('password must be at least 8 characters');
    const hash = await argonHash(password);
    const f = this.read();
    const u = f.users.find((x) => x.name === name);
    if (u) u.hash = hash;
    else f.users.push({ name, hash, created: new Date().toISOString() });
    this.write(f);
    return u ? 'updated' : 'added';
  }

  removeUser(name: string): boolean {
    const f = this.read();
    const n = f.users.length;
    f.users = f.users.filter((u) => u.name !== name);
    f.tokens = f.tokens.filter((t) => t.user !== name);
    this.write(f);
    return f.users.length !== n;
  }

  /** The user's name when the password is right. Always spends one argon2 verify. */
  async verify(name: string, password: string): Promise<string | null> {
    const u = this.read().users.find((x) => x.name === name);
    // a fixed dummy hash keeps the time of an unknown user like that of a wrong password
    const hash = u?.hash ?? DUMMY_HASH;
    let ok = false;
    try {
      ok = await argonVerify(hash, password);
    } catch {
      ok = false;
    }
    return ok && u ? u.name : null;
  }

  /** Make an API token for a user; the token itself is returned once and never stored. */
  createToken(user: string, label?: string): { id: string; token: string } {
    const f = this.read();
    if (!f.users.some((u) => u.name === user)) throw new Error(`no user ${user}`);
    const id = randomBytes(4).toString('hex');
    const token = `qry_${id}_${randomBytes(24).toString('base64url')}`;
    f.tokens.push({ id, user, digest: sha256(token), label, created: new Date().toISOString() });
    this.write(f);
    return { id, token };
  }

  revokeToken(id: string): boolean {
    const f = this.read();
    const n = f.tokens.length;
    f.tokens = f.tokens.filter((t) => t.id !== id);
    this.write(f);
    return n !== f.tokens.length;
  }

  /** The user a bearer token belongs to. */
  tokenUser(token: string): string | null {
    const d = Buffer.from(sha256(token), 'hex');
    for (const t of this.read().tokens) {
      const e = Buffer.from(t.digest, 'hex');
      if (e.length === d.length && timingSafeEqual(e, d)) return t.user;
    }
    return null;
  }
}

// argon2id hash of a random string nobody knows; only used to spend time on unknown users.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$ZrvojJxMKc9xIzO+jWhS7g$GjPITnhc7EwJPMGcQRp1CwQHzTcVrF0eg+JH6I2OuQU';

export class Sessions {
  private map = new Map<string, { user: string; expires: number }>();
  constructor(readonly ttlMs = 12 * 3600_000) {}

  create(user: string): string {
    const id = randomBytes(32).toString('base64url');
    this.map.set(id, { user, expires: Date.now() + this.ttlMs });
    return id;
  }

  user(id: string | undefined): string | null {
    if (!id) return null;
    const s = this.map.get(id);
    if (!s) return null;
    if (s.expires < Date.now()) {
      this.map.delete(id);
      return null;
    }
    return s.user;
  }

  destroy(id: string | undefined): void {
    if (id) this.map.delete(id);
  }
}

/**
 * Failed logins: after `max` failures within `windowMs` for one client address or one user
 * name, further attempts are refused until the window has passed.
 */
export class LoginLimiter {
  private fails = new Map<string, number[]>();
  constructor(
    readonly max = 5,
    readonly windowMs = 15 * 60_000,
  ) {}

  private recent(key: string, now: number): number[] {
    const l = (this.fails.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (l.length) this.fails.set(key, l);
    else this.fails.delete(key);
    return l;
  }

  /** Seconds to wait, or 0 when an attempt is allowed. */
  retryAfter(keys: string[]): number {
    const now = Date.now();
    let wait = 0;
    for (const k of keys) {
      const l = this.recent(k, now);
      if (l.length >= this.max) wait = Math.max(wait, Math.ceil((l[0]! + this.windowMs - now) / 1000));
    }
    return wait;
  }

  fail(keys: string[]): void {
    const now = Date.now();
    for (const k of keys) this.fails.set(k, [...this.recent(k, now), now]);
  }

  succeed(keys: string[]): void {
    for (const k of keys) this.fails.delete(k);
  }
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    const v = part.slice(i + 1).trim();
    if (k && !(k in out)) {
      try {
        out[k] = decodeURIComponent(v);
      } catch {
        out[k] = v;
      }
    }
  }
  return out;
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::ffff:127.0.0.1';
}
