import type { Grant } from '../domain/grant.js';
import type { MarketplaceCode } from '../domain/marketplaces.js';

export interface CoveredVenue {
  readonly marketplace: MarketplaceCode;
  /** From the Sellers API at this authorization. */
  readonly participating: boolean;
}

export interface GrantWrite {
  /** The new grant (version is decided by the store). */
  readonly grant: Grant;
  /** Every venue the grant serves; their `active` flags are preserved. */
  readonly venues: readonly CoveredVenue[];
  /** The pending authorization that produced it: marked succeeded in the same transaction (R8). */
  readonly stateHash: string;
  readonly notice: string | null;
}

export type GrantWriteResult =
  /** Stored. `replaced` are other grants (another selling partner) the venues pointed at, now deleted. */
  | { readonly kind: 'written'; readonly replaced: readonly Grant[] }
  /** A newer exchange of the same grant was already stored; nothing was changed (R4). */
  | { readonly kind: 'superseded' };

/** Writes a grant and the venues it covers in one transaction. */
export interface GrantWriter {
  write(input: GrantWrite): Promise<GrantWriteResult>;
}
