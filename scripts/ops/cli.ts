import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { type CommandResult, appCredentials, check, grants, parseAccount, parseMarketplace, parseWithin, rotateClientSecret, venues } from './commands.js';
import { OpsError, type OpsTarget, cloudTarget, localTarget } from './target.js';

/**
 * `npm run ops -- <command> --stage S | --local [--json]`: the on-call CLI (docs/operations.md).
 * Exit codes: 0 done, 1 the action failed or the stage could not be read, 2 a usage error.
 */

export const HELP = `Usage: npm run ops -- <command> (--stage STAGE [--region REGION] | --local) [--json]

Commands:
  venues --account ACCOUNT            the Venue Settings table of an AoB account, as the seller sees it
  grants --expiring-within 30d        live grants expiring within 30d (or 12h, …), soonest first,
                                      with account, selling partner and region
  check --account ACCOUNT --marketplace UK
                                      run the token service's health check for that venue's grant now
                                      (a refresh at Amazon) and say what Amazon answered
  app-credentials                     the app's LWA client secret: which one is current, when it and
                                      the previous one expire, warnings sent, rotation, last notification
  rotate-client-secret [--yes]        ask Amazon for a new client secret (rotateApplicationClientSecret);
                                      asks for confirmation unless --yes
  help                                this text

Where to look:
  --stage STAGE      a deployed stage, with your AWS credentials (AWS_PROFILE, SSO, keys) and its
                     CloudFormation stack outputs; region from --region, AWS_REGION or AWS_DEFAULT_REGION
  --local            the local stack started by npm start on PORT (default 3000)

Options:
  --json             print the result as JSON (for scripts)
  --help             this text

More: docs/operations.md`;

export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly env: Record<string, string | undefined>;
  /** Asks a yes/no question; absent when stdin is not a terminal. */
  readonly confirm?: (question: string) => Promise<boolean>;
}

const COMMANDS = ['venues', 'grants', 'check', 'app-credentials', 'rotate-client-secret', 'help'] as const;

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        stage: { type: 'string' },
        region: { type: 'string' },
        local: { type: 'boolean' },
        json: { type: 'boolean' },
        yes: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        account: { type: 'string' },
        marketplace: { type: 'string' },
        'expiring-within': { type: 'string' },
      },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (values.help || command === 'help' || command === undefined) {
    io.out(HELP);
    return command === undefined && !values.help ? 2 : 0;
  }
  if (!(COMMANDS as readonly string[]).includes(command) || positionals.length > 1) {
    io.err(`Unknown command "${positionals.join(' ')}". Commands: ${COMMANDS.join(', ')}.\n\n${HELP}`);
    return 2;
  }

  let target: OpsTarget | undefined;
  try {
    if (values.local && values.stage) throw new OpsError('Pass either --stage STAGE or --local, not both.', 2);
    if (!values.local && !values.stage) throw new OpsError('Which stage? Pass --stage STAGE (a deployed stage) or --local (npm start on PORT).', 2);
    // Arguments are checked before anything is contacted.
    const run = prepare(command, values);
    if (values.local) {
      const port = Number(io.env.PORT ?? 3000);
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new OpsError(`PORT must be a port number (got "${io.env.PORT}").`, 2);
      target = await localTarget(port);
    } else {
      target = await cloudTarget(values.stage as string, values.region);
    }
    if (command === 'rotate-client-secret' && !values.yes) {
      if (!io.confirm) throw new OpsError('rotate-client-secret asks for confirmation: run it in a terminal, or pass --yes.', 2);
      const yes = await io.confirm(`Ask Amazon for a new LWA client secret for ${target.description}? The old one keeps working about 7 days. [y/N] `);
      if (!yes) {
        io.out('Nothing done.');
        return 1;
      }
    }
    const result = await run(target);
    if (values.json) io.out(JSON.stringify(result.data, null, 2));
    else for (const line of result.lines) io.out(line);
    return result.exitCode ?? 0;
  } catch (error) {
    if (error instanceof OpsError) {
      io.err(error.message);
      return error.exitCode;
    }
    io.err(`Unexpected failure (${(error as Error).name}): ${(error as Error).message.split('\n')[0]}`);
    return 1;
  } finally {
    target?.close();
  }
}

function prepare(command: string, values: { account?: string; marketplace?: string; 'expiring-within'?: string }): (target: OpsTarget) => Promise<CommandResult> {
  switch (command) {
    case 'venues': {
      const account = parseAccount(values.account);
      return (t) => venues(t, account);
    }
    case 'grants': {
      const within = parseWithin(values['expiring-within'] ?? '30d');
      return (t) => grants(t, within);
    }
    case 'check': {
      const account = parseAccount(values.account);
      if (!values.marketplace) throw new OpsError('--marketplace is required: the venue to check, e.g. --marketplace UK.', 2);
      const marketplace = parseMarketplace(values.marketplace);
      return (t) => check(t, account, marketplace);
    }
    case 'app-credentials':
      return (t) => appCredentials(t);
    case 'rotate-client-secret':
      return (t) => rotateClientSecret(t);
    default:
      throw new OpsError(`Unknown command ${command}.`, 2);
  }
}

async function confirmOnTerminal(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const code = await runCli(process.argv.slice(2), {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
    env: process.env,
    ...(process.stdin.isTTY ? { confirm: confirmOnTerminal } : {}),
  });
  process.exit(code);
}
