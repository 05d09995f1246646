/**
 * The whole local stack in-process (API, AWS stand-ins, Amazon sandbox, dev controls) for one
 * test file, plus the few dev controls the browser scenarios drive from outside the page.
 */
import { startLocalStack } from '../../../local/stack.js';

export interface RunningStack {
  /** The API and the Venue Settings page (`/`, `/connect`, `/web/…`). */
  readonly url: string;
  /** The Amazon sandbox (Seller Central, LWA, Sellers API). */
  readonly sandboxUrl: string;
  stop(): Promise<void>;
}

export async function startStack(): Promise<RunningStack> {
  return (await startLocalStack({ port: 0, inMemory: true, sweepIntervalMs: 0 })) as RunningStack;
}

async function devPost(stack: RunningStack, path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${stack.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Moves the service clock (and with it the sandbox's): `{advance: "P340D"}` or `{now: iso}`. */
export async function moveClock(stack: RunningStack, body: { advance: string } | { now: string }): Promise<unknown> {
  return devPost(stack, '/__dev/clock', body);
}
