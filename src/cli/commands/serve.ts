/** `quarry serve` and `quarry user`: the workbench (src/server). */
import { serveCommand, SERVE_HELP, userCommand, USER_HELP } from '../../server/cli.js';
import type { CliCommand } from '../args.js';

export const serveCmd: CliCommand = {
  name: 'serve',
  summary: 'serve the workbench: the search page, hunts and the JSON API (http://127.0.0.1:8000)',
  usage: SERVE_HELP,
  run: (argv) => serveCommand(argv),
};

export const userCmd: CliCommand = {
  name: 'user',
  summary: 'manage workbench users and API tokens (add, remove, list, token)',
  usage: USER_HELP,
  run: (argv) => userCommand(argv),
};
