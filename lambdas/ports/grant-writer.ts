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
  /**
   * Stored. `replaced` are other grants (another selling partner) the venues pointed at, now
   * deleted. `previous` is the earlier authorization of this same grant that the write replaced
   * (null for a first authorization): its own secret is no longer named by any row.
   */
  | { readonly kind: 'written'; readonly replaced: readonly Grant[]; readonly previous: Grant | null }
  /**
   * A newer exchange of the same grant was already stored; nothing was changed (R4). `current`
   * is the stored grant when known, so the loser's secret (named by no row) can be retired.
   */
  | { readonly kind: 'superseded'; readonly current: Grant | null };

/** Writes a grant and the venues it covers in one transaction. */
export interface GrantWriter {
  write(input: GrantWrite): Promise<GrantWriteResult>;
}
