import type { Marketplace } from './marketplaces.js';
import type { TokenStatus } from './token-status.js';

export type ActivationReason = 'NO_TOKEN' | 'TOKEN_EXPIRED' | 'TOKEN_REVOKED' | 'NOT_REGISTERED';

export interface Activation {
  readonly allowed: boolean;
  readonly reason: ActivationReason | null;
  readonly message: string | null;
}

/**
 * Whether a venue may be set Active (docs/venues.md, activation): only with a current or expiring token and when
 * the seller participates in the marketplace. `participating` is null when unknown (no grant).
 * Deactivating is always allowed and is not decided here.
 */
export function activation(status: TokenStatus, participating: boolean | null, m: Marketplace): Activation {
  switch (status) {
    case 'none':
      return deny('NO_TOKEN', `Authorize AoB on Amazon for ${m.domain} before setting this venue Active.`);
    case 'revoked':
      return deny('TOKEN_REVOKED', `The authorization for ${m.domain} was revoked on Amazon. Authorize again to set this venue Active.`);
    case 'expired':
      return deny('TOKEN_EXPIRED', `The authorization for ${m.domain} has expired. Authorize again to set this venue Active.`);
    case 'current':
    case 'expiring':
      if (participating !== true) {
        return deny('NOT_REGISTERED', `Your Amazon seller account is not registered to sell on ${m.domain}.`);
      }
      return { allowed: true, reason: null, message: null };
  }
}

function deny(reason: ActivationReason, message: string): Activation {
  return { allowed: false, reason, message };
}
