/**
 * `quarry serve` and `quarry user …`: the workbench's subcommands. Each takes the words after
 * its name and returns an exit code, so the CLI registers them in one line each.
 */
import { defaultDataDir } from '../store/index.js';
import { UserStore } from './auth.js';
import { serve } from './index.js';

interface Parsed {
  flags: Record<string, string | true>;
  rest: string[];
}

function parse(argv: string[], valued: string[]): Parsed {
  const flags: Record<string, string | true> = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (eq > 0) flags[name] = a.slice(eq + 1);
      else if (valued.includes(name) && i + 1 < argv.length) flags[name] = argv[++i]!;
      else flags[name] = true;
    } else rest.push(a);
  }
  return { flags, rest };
}

export const SERVE_HELP = `quarry serve [--data DIR] [--host 127.0.0.1] [--port 8000] [--auth]

Serve the workbench (search page, hunts, JSON API) on http://HOST:PORT.
Listening on loopback needs no password; any other address needs users
(quarry user add NAME). --auth asks for a login on loopback too.`;

export const USER_HELP = `quarry user add NAME [--data DIR] [--password-stdin]
quarry user remove NAME [--data DIR]
quarry user list [--data DIR]
quarry user token NAME [--label TEXT] [--data DIR]

Workbench users: argon2id password hashes in DIR/users.json. \`token\` prints a
new API token for scripts (Authorization: Bearer TOKEN); it is shown once.`;

export async function serveCommand(argv: string[]): Promise<number> {
  const { flags } = parse(argv, ['data', 'host', 'port']);
  if (flags.help || flags.h) {
    console.log(SERVE_HELP);
    return 0;
  }
  const port = flags.port === undefined ? 8000 : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`quarry serve: bad --port ${String(flags.port)}`);
    return 2;
  }
  const s = await serve({
    dataDir: typeof flags.data === 'string' ? flags.data : defaultDataDir(),
    host: typeof flags.host === 'string' ? flags.host : '127.0.0.1',
    port,
    auth: flags.auth === true,
  });
  console.log(`Quarry workbench on ${s.url}${s.auth ? ' (sign-in required)' : ''} — Ctrl+C stops it`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void s.close().then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}

async function readPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin || !process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  }
  // Interactive: read without echo.
  const ask = (prompt: string) =>
    new Promise<string>((resolve) => {
      process.stdout.write(prompt);
      const stdin = process.stdin;
      stdin.setRawMode(true);
      stdin.resume();
      let s = '';
      const onData = (b: Buffer) => {
        for (const ch of b.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            stdin.setRawMode(false);
            stdin.pause();
            stdin.off('data', onData);
            process.stdout.write('\n');
            return resolve(s);
          }
          if (ch === '\u0003') process.exit(130);
          if (ch === '\u007f') s = s.slice(0, -1);
          else s += ch;
        }
      };
      stdin.on('data', onData);
    });
  const a = await ask('Password: ');
  const b = await ask('Again: ');
  if (a !== b) throw new Error('the passwords differ');
  return a;
}

export async function userCommand(argv: string[]): Promise<number> {
  const { flags, rest } = parse(argv, ['data', 'label']);
  const [sub, name] = rest;
  if (!sub || flags.help || flags.h) {
    console.log(USER_HELP);
    return sub ? 0 : 2;
  }
  const users = new UserStore(typeof flags.data === 'string' ? flags.data : defaultDataDir());
  try {
    switch (sub) {
      case 'add': {
        if (!name) throw new Error('quarry user add NAME');
        const pw = await readPassword(flags['password-stdin'] === true);
        const r = await users.setPassword(name, pw);
        console.log(`user ${name} ${r} (${users.path})`);
        return 0;
      }
      case 'remove':
        if (!name) throw new Error('quarry user remove NAME');
        console.log(users.removeUser(name) ? `user ${name} removed` : `no user ${name}`);
        return 0;
      case 'list':
        for (const u of users.listUsers()) console.log(u);
        return 0;
      case 'token': {
        if (!name) throw new Error('quarry user token NAME');
        const t = users.createToken(name, typeof flags.label === 'string' ? flags.label : undefined);
        console.log(t.token);
        return 0;
      }
      default:
        console.error(USER_HELP);
        return 2;
    }
  } catch (e) {
    console.error(`quarry user: ${(e as Error).message}`);
    return 1;
  }
}
