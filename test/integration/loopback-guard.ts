import net from 'node:net';

/**
 * Records the host of every TCP connection the process opens (fetch, the AWS SDK's HTTP
 * handler, anything built on `net`), so a test can assert the local stack never leaves loopback.
 */
export interface LoopbackGuard {
  /** Hosts connected to since the guard was installed. */
  readonly hosts: Set<string>;
  /** Hosts that are not loopback. */
  nonLoopback(): string[];
  restore(): void;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\]|::ffff:127\.0\.0\.1)$/;

export function guardLoopback(): LoopbackGuard {
  const hosts = new Set<string>();
  const original = net.Socket.prototype.connect;
  // Same signature, so every caller's arguments go through untouched.
  net.Socket.prototype.connect = function connect(this: net.Socket, ...args: unknown[]) {
    const [first, second] = args;
    if (typeof first === 'object' && first !== null && !('path' in first && (first as { path?: string }).path)) {
      hosts.add(String((first as { host?: string }).host ?? 'localhost'));
    } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
      hosts.add(typeof second === 'string' ? second : 'localhost');
    }
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof original;
  return {
    hosts,
    nonLoopback: () => [...hosts].filter((h) => !LOOPBACK.test(h)),
    restore: () => {
      net.Socket.prototype.connect = original;
    },
  };
}
