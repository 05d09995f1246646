/** The slice of `fetch` the Amazon adapters use; tests inject a fake Amazon through it. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Exponential backoff with full jitter: a random wait in [0, base·2^(attempt-1)). */
export function backoffMs(attempt: number, baseMs: number, random: () => number): number {
  return random() * baseMs * 2 ** (attempt - 1);
}

export async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}
