import fc from 'fast-check';
import { activation } from '../../../../lambdas/domain/activation.js';
import { marketplace, MARKETPLACE_CODES } from '../../../../lambdas/domain/marketplaces.js';
import type { TokenStatus } from '../../../../lambdas/domain/token-status.js';

/** docs/venues.md, activation: a venue may be set Active only with a live token and a seller registered there. */
describe('activation', () => {
  const de = marketplace('DE');

  it.each(['current', 'expiring'] as const)('is allowed with a %s token when the seller participates', (status) => {
    expect(activation(status, true, de)).toEqual({ allowed: true, reason: null, message: null });
  });

  it.each([
    ['none', 'NO_TOKEN', 'Authorize AoB on Amazon for amazon.de before setting this venue Active.'],
    ['expired', 'TOKEN_EXPIRED', 'The authorization for amazon.de has expired. Authorize again to set this venue Active.'],
    ['revoked', 'TOKEN_REVOKED', 'The authorization for amazon.de was revoked on Amazon. Authorize again to set this venue Active.'],
  ] as const)('is refused with a %s token: %s', (status, reason, message) => {
    expect(activation(status, true, de)).toEqual({ allowed: false, reason, message });
  });

  it.each([false, null])('is refused as NOT_REGISTERED with a live token when participation is %s', (participating) => {
    for (const status of ['current', 'expiring'] as const) {
      expect(activation(status, participating, de)).toEqual({
        allowed: false,
        reason: 'NOT_REGISTERED',
        message: 'Your Amazon seller account is not registered to sell on amazon.de.',
      });
    }
  });

  it('names the token problem before participation: no live token means no point checking registration', () => {
    expect(activation('expired', false, de).reason).toBe('TOKEN_EXPIRED');
    expect(activation('none', null, de).reason).toBe('NO_TOKEN');
  });

  it('for any input, is allowed exactly when the token is live and the seller participates, and a refusal always explains itself', () => {
    const statuses: TokenStatus[] = ['none', 'current', 'expiring', 'expired', 'revoked'];
    fc.assert(
      fc.property(fc.constantFrom(...statuses), fc.constantFrom(true, false, null), fc.constantFrom(...MARKETPLACE_CODES), (status, participating, code) => {
        const m = marketplace(code);
        const verdict = activation(status, participating, m);
        expect(verdict.allowed).toBe((status === 'current' || status === 'expiring') && participating === true);
        if (verdict.allowed) {
          expect(verdict).toEqual({ allowed: true, reason: null, message: null });
        } else {
          expect(verdict.reason).toMatch(/^(NO_TOKEN|TOKEN_EXPIRED|TOKEN_REVOKED|NOT_REGISTERED)$/);
          expect(verdict.message).toContain(m.domain);
        }
      }),
    );
  });
});
