import type { MarketplaceCode } from '../domain/marketplaces.js';

/**
 * One-time records of the authorization flow. Only SHA-256 hashes of the ticket, the state and
 * the binding cookie are ever stored (never the raw values); every record carries `expiresAt`,
 * checked here in code, and a TTL attribute DynamoDB uses to clean up (late).
 */

/** A continued flow (started on Amazon): what Amazon sent to the Log-in URI, already validated. */
export interface AmazonContinuation {
  readonly amazonCallbackUri: string;
  /**
   * Amazon's `amazon_state`, sealed (AES-256-GCM) under a key derived from the raw ticket, which
   * the table never holds: the stored item alone cannot reveal it (domain/sealing.ts).
   */
  readonly amazonState: string;
  readonly sellingPartnerId: string;
}

/** Created by `POST …/authorizations` or `POST /login-continuations`; redeemed once by the browser. */
export interface TicketRecord {
  readonly ticketHash: string;
  readonly accountId: string;
  readonly sub: string | null;
  readonly marketplace: MarketplaceCode;
  readonly returnPath: string;
  readonly expiresAt: Date;
  readonly continuation: AmazonContinuation | null;
}

/** The state of one authorization in flight, created when its ticket is redeemed. */
export interface PendingAuthorization {
  readonly stateHash: string;
  readonly ticketHash: string;
  readonly bindingHash: string;
  readonly accountId: string;
  readonly sub: string | null;
  readonly marketplace: MarketplaceCode;
  readonly returnPath: string;
  readonly expiresAt: Date;
  /** From the Log-in step (or the continuation), for the code-injection check (S7). */
  readonly sellingPartnerId: string | null;
  /** Started on Amazon (Seller Central) and continued through the connect page: completion needs the seller's confirmation. */
  readonly startedOnAmazon?: boolean;
}

/** What the callback keeps with the state it consumes, for the completion to exchange. */
export interface CompletionSeal {
  /** sha256 of the completion handle the browser is sent on with; the handle itself is never stored. */
  readonly completionHash: string;
  /** Amazon's code, sealed under a key derived from the handle (domain/sealing.ts). */
  readonly sealedCode: string;
  /** Amazon's 5-minute code lifetime: the completion must claim it before this. */
  readonly codeExpiresAt: Date;
}

export interface ClaimRequest {
  readonly stateHash: string;
  readonly completionHash: string;
  /** The caller's account and `sub`, from the verified JWT. */
  readonly accountId: string;
  readonly sub: string | null;
  readonly now: Date;
}

export type ClaimResult =
  /** This call claimed the completion (exactly one caller can): the sealed code is the caller's to exchange. */
  | { readonly kind: 'claimed'; readonly pending: PendingAuthorization; readonly sealedCode: string }
  /** Unknown handle, or a completion that was already claimed and did not succeed. */
  | { readonly kind: 'invalid'; readonly pending: PendingAuthorization | null }
  /** The handle is genuine but the JWT belongs to another AoB account (or user): nothing was changed. */
  | { readonly kind: 'account-mismatch'; readonly pending: PendingAuthorization }
  /** Amazon's code is older than its 5-minute lifetime: not worth sending. Nothing was changed. */
  | { readonly kind: 'code-expired'; readonly pending: PendingAuthorization }
  /** Already completed successfully for this account: show that outcome again (R8). */
  | { readonly kind: 'already-succeeded'; readonly pending: PendingAuthorization; readonly notice: string | null }
  /** A flow started on Amazon, exchanged and held for the seller's confirmation: show the confirmation again. */
  | { readonly kind: 'awaiting-confirmation'; readonly pending: PendingAuthorization; readonly storeName: string | null };

/** A flow started on Amazon after the exchange: what the seller confirms, kept until they do. */
export interface ConfirmationHold {
  /** Refresh token, participations and exchange time, sealed under a key derived from the completion handle. */
  readonly sealedGrant: string;
  readonly storeName: string | null;
  /** The seller must confirm before this. */
  readonly holdExpiresAt: Date;
}

export interface ConsumeRequest {
  readonly stateHash: string;
  /** Hash of the browser's binding cookie; null when the browser sent none. */
  readonly bindingHash: string | null;
  /** `selling_partner_id` of the callback, when Amazon sent one. */
  readonly sellingPartnerId: string | null;
  readonly now: Date;
  /** Amazon's code, sealed, stored by the same write that consumes the state; null for an error callback. */
  readonly completion?: CompletionSeal | null;
}

export type ConsumeResult =
  /** This call consumed the state: the flow may go on. */
  | { readonly kind: 'consumed'; readonly pending: PendingAuthorization }
  /** Unknown, used by a flow that did not succeed for this browser, or expired in another browser. */
  | { readonly kind: 'invalid'; readonly pending: PendingAuthorization | null }
  /** This browser's flow, never finished, and older than its lifetime: the seller took too long. */
  | { readonly kind: 'expired'; readonly pending: PendingAuthorization }
  /** Valid state, but not this browser's (missing or foreign cookie). Nothing was changed. */
  | { readonly kind: 'browser-mismatch'; readonly pending: PendingAuthorization }
  /** Valid state, but Amazon's selling partner differs from the Log-in step's (S7). Nothing was changed. */
  | { readonly kind: 'partner-mismatch'; readonly pending: PendingAuthorization }
  /** Already completed successfully for this same browser (a reload): show that outcome again (R8). */
  | { readonly kind: 'already-succeeded'; readonly pending: PendingAuthorization; readonly notice: string | null };

/**
 * The store is split by step of the flow, one port each, so a function carries only the adapter
 * code of the step it runs (a class's methods all ride along in its bundle).
 */

/** Tickets: minted by the two start routes, redeemed once by the browser. */
export interface TicketStore {
  createTicket(ticket: TicketRecord): Promise<void>;
  /** Deletes and returns the ticket if it exists and has not expired; null otherwise (usable once). */
  redeemTicket(ticketHash: string, now: Date): Promise<TicketRecord | null>;
}

/** The pending authorization (its state): opened when a ticket is redeemed, used by the Log-in step, consumed by the callback. */
export interface AuthorizationStateStore {
  /** Stores the state of a redeemed ticket. */
  open(pending: PendingAuthorization): Promise<void>;
  /**
   * The Log-in step: records Amazon's selling partner on the pending authorization the binding
   * cookie belongs to. Null when there is none (unknown, used, expired, or another partner already recorded).
   */
  recordLogin(stateHash: string, bindingHash: string, sellingPartnerId: string, now: Date): Promise<PendingAuthorization | null>;
  /**
   * After a refused Log-in step: the flow this binding cookie started, when it is unfinished and
   * has outlived its lifetime (one consistent read, nothing written); null for anything else.
   */
  expiredFlow(stateHash: string, bindingHash: string, now: Date): Promise<PendingAuthorization | null>;
  /** Consumes the state atomically (conditional write): at most one caller ever gets `consumed`. */
  consume(request: ConsumeRequest): Promise<ConsumeResult>;
}

/** The completion: claims of the sealed code the callback kept, and of the grant held for the seller's confirmation. */
export interface CompletionStore {
  /**
   * The completion: claims the sealed code atomically (conditional write: right handle, same
   * account and user as the flow's, not claimed before, code not expired) and removes it from
   * the item. Refused claims are explained by one consistent read, with nothing written.
   */
  claimCompletion(request: ClaimRequest): Promise<ClaimResult>;
  /** Keeps the exchanged grant of a flow started on Amazon (sealed) until the seller confirms it. */
  holdForConfirmation(stateHash: string, hold: ConfirmationHold): Promise<void>;
  /**
   * The seller's confirmation (or cancellation): claims the held grant atomically, with the same
   * handle, account and user checks as `claimCompletion`, and removes it from the item.
   */
  claimConfirmation(request: ClaimRequest): Promise<ClaimResult>;
}

/** All three steps over the same records (one in-memory fake in the tests serves every use case). */
export type PendingAuthorizationStore = TicketStore & AuthorizationStateStore & CompletionStore;
