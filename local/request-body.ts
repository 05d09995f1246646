import type { IncomingMessage } from 'node:http';

/**
 * A request's body, read to its end; `tooLarge()`'s error as soon as more than `limit` bytes
 * arrived. Every local server reads bodies this way: the API Gateway stand-in, the AWS
 * stand-ins, the Amazon sandbox and the dev controls, each with its own limit and its own error.
 */
export async function readRequestBody(req: IncomingMessage, limit: number, tooLarge: () => Error): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
