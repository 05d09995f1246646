import fc from 'fast-check';
import { ErrorBodySchema } from '../../../../lambdas/contract/errors.js';
import { VenueListSchema, VenueSchema } from '../../../../lambdas/contract/venues.js';
import { makeDisconnectHandler } from '../../../../lambdas/handlers/disconnect.js';
import { makeGetVenueHandler } from '../../../../lambdas/handlers/get-venue.js';
import { makeSetVenueActiveHandler } from '../../../../lambdas/handlers/set-venue-active.js';
import { A_NOW, aGrant, anAccountWith } from '../../../builders/grants.js';
import { RecordingLog } from '../../../builders/log.js';
import { InMemoryAccountStore } from '../../../builders/venues.js';
import { aJwtRequest, aLambdaContext, bodyOf } from '../../../builders/requests.js';
import { InMemorySecretStore } from '../../../builders/secrets.js';
import { FakeClock } from '../../../builders/clock.js';
import { RecordingPublisher } from '../../../builders/publisher.js';

/**
 * Whatever a caller sends — any marketplace string, any body, any claims — the venue routes answer
 * with a 2xx or a 4xx in the error shape, never a 5xx (SECURITY S10).
 */
describe('venue routes under random input', () => {
  const deps = () => ({
    accounts: new InMemoryAccountStore(anAccountWith(aGrant({ region: 'EU' }))),
    secrets: new InMemorySecretStore(),
    events: new RecordingPublisher(),
    log: new RecordingLog(),
    clock: new FakeClock(A_NOW),
    accountClaim: 'custom:accountId',
  });

  const marketplaceArb = fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('UK', 'de', 'Jp', 'sg', 'us', 'GB', '%00', '..', 'UK ', ' UK', 'ＵＫ', '\u0000'));
  const bodyArb = fc.oneof(
    fc.constant(undefined),
    fc.string({ maxLength: 200 }),
    fc.json({ maxDepth: 3 }),
    fc.record({ active: fc.oneof(fc.boolean(), fc.anything()) }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
    fc.constantFrom('{"active":true}', '{"active":false}', '{"active":true,"accountId":"acct-victim"}', '{"__proto__":{"active":true}}', '{"active":true}'.padEnd(17_000, ' ')),
  );
  const claimsArb = fc.oneof(
    fc.constant({ 'custom:accountId': 'acct-1' }),
    fc.constant(null),
    fc.dictionary(fc.constantFrom('custom:accountId', 'sub', 'accountId'), fc.oneof(fc.string({ maxLength: 140 }), fc.integer(), fc.boolean())),
  );

  const isOk = (result: { statusCode?: number; body?: string }, okSchema: { parse(v: unknown): unknown }) => {
    expect(result.statusCode).toBeLessThan(500);
    if (result.statusCode! >= 400) ErrorBodySchema.parse(bodyOf(result));
    else okSchema.parse(bodyOf(result));
  };

  it('PUT answers 2xx or an error-shaped 4xx for any marketplace, body and claims', async () => {
    await fc.assert(
      fc.asyncProperty(marketplaceArb, bodyArb, claimsArb, fc.boolean(), async (marketplace, body, claims, base64) => {
        const handle = makeSetVenueActiveHandler(deps());
        const encoded = base64 && body !== undefined ? Buffer.from(body).toString('base64') : body;
        const result = await handle(aJwtRequest({ method: 'PUT', marketplace, body: encoded, isBase64Encoded: base64, claims }), aLambdaContext());
        isOk(result, VenueSchema);
      }),
      { numRuns: 300 },
    );
  });

  it('GET and DELETE answer 2xx or an error-shaped 4xx for any marketplace and claims', async () => {
    await fc.assert(
      fc.asyncProperty(marketplaceArb, claimsArb, async (marketplace, claims) => {
        const d = deps();
        isOk(await makeGetVenueHandler(d)(aJwtRequest({ marketplace, claims }), aLambdaContext()), VenueSchema);
        isOk(await makeDisconnectHandler(d)(aJwtRequest({ method: 'DELETE', marketplace, claims }), aLambdaContext()), VenueListSchema);
      }),
      { numRuns: 300 },
    );
  });
});
