import { readFileSync } from 'node:fs';

/**
 * `npm start`: the whole service on loopback. PORT (default 3000) serves the API, the Venue
 * Settings page and the dev controls; PORT+1 the Amazon sandbox. Ctrl-C stops everything,
 * DynamoDB Local's Java process included.
 */

const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 1 || port > 65534) {
  console.error(`PORT must be a port number between 1 and 65534 (got "${process.env.PORT}").`);
  process.exit(2);
}
const sweepIntervalMs = process.env.SWEEP_INTERVAL_MS === undefined ? undefined : Number(process.env.SWEEP_INTERVAL_MS);
if (sweepIntervalMs !== undefined && (!Number.isInteger(sweepIntervalMs) || sweepIntervalMs < 0)) {
  console.error(`SWEEP_INTERVAL_MS must be a whole number of milliseconds, 0 to turn the sweep timer off (got "${process.env.SWEEP_INTERVAL_MS}").`);
  process.exit(2);
}

// Before the SDK loads: Node 20 is supported for the local stack (Lambda runs Node 24).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const { JavaMissingError, PortInUseError, startLocalStack } = await import('./stack.js');

const log = (line: string) => console.log(line);
log('Starting AoB Amazon Connect locally (no AWS account needed)…');

let stop: (() => Promise<void>) | undefined;
let stopping = 0;

// The stack itself signals DynamoDB Local's JVM from an 'exit' listener, so an uncaught error
// or process.exit cannot leave Java running; signals are turned into an orderly stop below.

async function shutdown(signal: string): Promise<void> {
  if (stopping) {
    // A terminal's Ctrl-C reaches us both directly and relayed by tsx: only a later, deliberate
    // second Ctrl-C means "stop waiting".
    if (Date.now() - stopping > 2000) process.exit(1);
    return;
  }
  stopping = Date.now();
  log(`\n${signal}: stopping…`);
  await stop?.();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGHUP', () => void shutdown('SIGHUP'));

/**
 * `npm start` runs us under `sh` and tsx; a SIGTERM sent to npm alone ends npm and sh but not
 * us. Watching the ancestors catches that: when one is gone, stop as if signalled.
 */
function watchAncestors(): void {
  const ancestors: number[] = [];
  let pid = process.ppid;
  for (let depth = 0; depth < 3 && pid > 1; depth++) {
    ancestors.push(pid);
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      break;
    }
  }
  const alive = (p: number) => {
    try {
      process.kill(p, 0);
      return true;
    } catch {
      return false;
    }
  };
  setInterval(() => {
    if (!stopping && ancestors.some((p) => !alive(p))) void shutdown('parent process ended');
  }, 1000).unref();
}
watchAncestors();

try {
  const stack = await startLocalStack({ port, sandboxPort: port + 1, sweepIntervalMs, log, startedAt: Math.round(performance.timeOrigin) });
  stop = stack.stop;
  log('');
  log(`  Venue Settings page   ${stack.url}/`);
  log(`  API                   ${stack.url}/v1/…   (OpenAPI: ${stack.url}/v1/openapi.json)`);
  log(`  Amazon sandbox        ${stack.sandboxUrl}/`);
  log(`  Dev controls          ${stack.url}/__dev   (see docs/local.md)`);
  log('');
  log('Press Ctrl-C to stop.');
} catch (error) {
  const message = (error as Error).message;
  if (error instanceof PortInUseError || error instanceof JavaMissingError) {
    console.error(`\n${message}`);
  } else if (/Java|java|ENOENT/.test(message)) {
    console.error(`\nDynamoDB Local needs Java 17 or newer on PATH (java -version). On Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless.\n${message}`);
  } else {
    console.error(`\nThe local stack could not start: ${(error as Error).stack ?? message}`);
  }
  process.exit(1);
}
