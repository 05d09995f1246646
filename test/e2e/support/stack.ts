/**
 * The whole local stack in-process (API, AWS stand-ins, Amazon sandbox, dev controls) for one
 * test file, plus the few dev controls the browser scenarios drive from outside the page.
 */
import { type LocalStack, startLocalStack } from '../../../local/stack.js';

/** `url`: the API and the Venue Settings page; `sandboxUrl`: the Amazon sandbox. */
export type RunningStack = LocalStack;

/** `E2E_STACK_LOG=1 npm run test:e2e` prints the stack's request and progress lines. */
export async function startStack(): Promise<RunningStack> {
  const log = process.env.E2E_STACK_LOG ? (line: string) => process.stdout.write(`${line}\n`) : undefined;
  return startLocalStack({ port: 0, inMemory: true, sweepIntervalMs: 0, ...(log ? { log } : {}) });
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

/** The next `times` requests to the sandbox's LWA token endpoint or Sellers API fail this way. */
export async function sandboxFault(
  stack: RunningStack,
  fault: { target: 'token' | 'participations'; mode: 'server_error' | 'timeout' | 'invalid_client'; times?: number },
): Promise<unknown> {
  return devPost(stack, '/__dev/sandbox/faults', fault);
}
