import { type Activation, activation } from './activation.js';
import type { Grant } from './grant.js';
import { MARKETPLACES, type MarketplaceCode, type Region, marketplace } from './marketplaces.js';
import { type TokenView, tokenStatus } from './token-status.js';

/** What is stored about one account on one marketplace. Absent until the first authorization. */
export interface VenueRecord {
  readonly accountId: string;
  readonly marketplace: MarketplaceCode;
  readonly active: boolean;
  /** The grant serving this venue, or null after a disconnect. */
  readonly grantKey: string | null;
  /** From the Sellers API at the last authorization; null when unknown. */
  readonly participating: boolean | null;
  readonly version: number;
}

/** The `Venue` of the HTTP contract (docs/venues.md, OpenAPI). */
export interface Venue {
  readonly marketplace: MarketplaceCode;
  readonly marketplaceId: string;
  readonly domain: string;
  readonly region: Region;
  /**
   * Whether AoB uses the venue now: the seller chose Active and the venue may be Active
   * (`activation.allowed`). An expired or revoked authorization, or a marketplace the seller is
   * not registered on, makes it false whatever the seller chose; `activation.reason` says why.
   */
  readonly active: boolean;
  /**
   * The seller's own choice, remembered while the venue cannot be Active: it takes effect again
   * as soon as the venue may be Active (for example right after a re-authorization).
   */
  readonly activeChoice: boolean;
  /**
   * Whether the authorization's Amazon seller account is registered to sell on this marketplace
   * (from the Sellers API at the last authorization); null without an authorization.
   */
  readonly participating: boolean | null;
  readonly token: TokenView;
  readonly activation: Activation;
}

/** Everything stored for one account: what one DynamoDB Query returns. */
export interface AccountSnapshot {
  readonly venues: readonly VenueRecord[];
  readonly grants: readonly Grant[];
}

/** The grant serving a venue: the one its record points at, undefined when none does. */
export function grantServing(code: MarketplaceCode, snapshot: AccountSnapshot): Grant | undefined {
  const record = snapshot.venues.find((v) => v.marketplace === code);
  return record?.grantKey ? snapshot.grants.find((g) => g.grantKey === record.grantKey) : undefined;
}

export function venueView(code: MarketplaceCode, snapshot: AccountSnapshot, now: Date): Venue {
  const m = marketplace(code);
  const record = snapshot.venues.find((v) => v.marketplace === code);
  const grant = grantServing(code, snapshot);
  const token = tokenStatus(grant, now);
  const participating = grant ? (record?.participating ?? null) : null;
  const verdict = activation(token.status, participating, m);
  const activeChoice = record?.active ?? false;
  return {
    marketplace: m.code,
    marketplaceId: m.id,
    domain: m.domain,
    region: m.region,
    active: activeChoice && verdict.allowed,
    activeChoice,
    participating,
    token,
    activation: verdict,
  };
}

/** Every supported marketplace, NA → EU → FE, with its status at `now`. */
export function accountVenues(snapshot: AccountSnapshot, now: Date): Venue[] {
  return MARKETPLACES.map((m) => venueView(m.code, snapshot, now));
}
