import type { MarketplaceCode } from '../../domain/marketplaces.js';
import type { PendingAuthorization, TicketRecord } from '../../ports/pending-authorizations.js';

/**
 * The item layout of the one-time records of the authorization flow, shared by the ticket store
 * (ticket-store.ts), the state store (authorization-state-store.ts), the completion store
 * (completion-store.ts) and the grant writer, which marks the outcome. Keys are SHA-256 hashes;
 * the raw ticket, state and binding cookie never reach the table.
 *
 * | item                  | pk                   | sk     |
 * |-----------------------|----------------------|--------|
 * | ticket                | TICKET#{sha256(t)}   | TICKET |
 * | pending authorization | AUTH#{sha256(state)} | AUTH   |
 *
 * `expiresAt` (ISO-8601 UTC, so string order is time order) is checked in every condition;
 * `ttl` (epoch seconds) lets DynamoDB delete the leftovers, late.
 */
export const ticketKey = (ticketHash: string) => ({ pk: `TICKET#${ticketHash}`, sk: 'TICKET' });
export const pendingAuthorizationKey = (stateHash: string) => ({ pk: `AUTH#${stateHash}`, sk: 'AUTH' });

/** The pending item keeps its outcome once the grant transaction marks it, for reloads (R8). */
export const OUTCOME_SUCCESS = 'success';

export const ttlOf = (expiresAt: Date) => Math.ceil(expiresAt.getTime() / 1000);
/**
 * A pending authorization stays in the table an hour past `expiresAt` (which every condition
 * still enforces): a callback that consumed it just before expiry must still find it when its
 * grant transaction marks the outcome (conditioned on the item existing) some seconds later —
 * TTL may delete an expired item at any time — and a reload keeps showing success (R8).
 */
export const PENDING_TTL_GRACE_SECONDS = 3600;

/** What a ticket and a pending authorization both carry: who started the flow, where it returns, when it ends. */
interface FlowItem {
  pk: string;
  sk: string;
  accountId: string;
  sub?: string;
  marketplace: MarketplaceCode;
  returnPath: string;
  expiresAt: string;
  ttl: number;
}

export interface TicketItem extends FlowItem {
  type: 'ticket';
  amazonCallbackUri?: string;
  amazonState?: string;
  sellingPartnerId?: string;
}

export interface PendingItem extends FlowItem {
  type: 'authorization';
  ticketHash: string;
  bindingHash: string;
  sellingPartnerId?: string;
  consumedAt?: string;
  outcome?: string;
  notice?: string;
  startedOnAmazon?: boolean;
  completionHash?: string;
  sealedCode?: string;
  codeExpiresAt?: string;
  completedAt?: string;
  sealedGrant?: string;
  storeName?: string;
  holdExpiresAt?: string;
  confirmedAt?: string;
}

export function fromTicketItem(item: Record<string, unknown>, ticketHash: string): TicketRecord {
  const i = item as unknown as TicketItem;
  return {
    ticketHash,
    accountId: i.accountId,
    sub: i.sub ?? null,
    marketplace: i.marketplace,
    returnPath: i.returnPath,
    expiresAt: new Date(i.expiresAt),
    continuation:
      i.amazonCallbackUri && i.amazonState && i.sellingPartnerId
        ? { amazonCallbackUri: i.amazonCallbackUri, amazonState: i.amazonState, sellingPartnerId: i.sellingPartnerId }
        : null,
  };
}

export function fromPendingItem(item: Record<string, unknown>, stateHash: string): PendingAuthorization {
  const i = item as unknown as PendingItem;
  return {
    stateHash,
    ticketHash: i.ticketHash,
    bindingHash: i.bindingHash,
    accountId: i.accountId,
    sub: i.sub ?? null,
    marketplace: i.marketplace,
    returnPath: i.returnPath,
    expiresAt: new Date(i.expiresAt),
    sellingPartnerId: i.sellingPartnerId ?? null,
    startedOnAmazon: i.startedOnAmazon === true,
  };
}
