import type { Grant } from '../domain/grant.js';
import type { AccountSnapshot, VenueRecord } from '../domain/venue.js';

/**
 * An account's venues and grants. All of one account lives under one partition key, so
 * `load` is a single Query. Writes are conditioned on the stored `version`; a lost race
 * surfaces as `ConcurrentUpdateError` (ports/failures.ts), never as a silent overwrite.
 */
export interface AccountStore {
  load(accountId: string): Promise<AccountSnapshot>;
  /** Sets `active` on a venue whose stored version is `venue.version`; creates the venue item when `venue.version` is 0. */
  setVenueActive(venue: VenueRecord, active: boolean): Promise<VenueRecord>;
  /** Deletes `grant` and deactivates/unlinks `venues` it served, in one transaction. */
  removeGrant(grant: Grant, venues: readonly VenueRecord[]): Promise<void>;
}

