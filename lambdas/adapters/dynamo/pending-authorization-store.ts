import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  ClaimRequest,
  ClaimResult,
  ConfirmationHold,
  ConsumeRequest,
  ConsumeResult,
  PendingAuthorization,
  PendingAuthorizationStore,
  TicketRecord,
} from '../../ports/pending-authorizations.js';
import { DynamoAuthorizationStateStore } from './authorization-state-store.js';
import { DynamoCompletionStore } from './completion-store.js';
import { DynamoTicketStore } from './ticket-store.js';

/**
 * The three stores of the one-time records as one object, for code that drives the whole flow
 * over one table (the tests). The functions are wired with the store of their step only
 * (handlers/wiring/dynamodb.ts), so none of them carries this class or another step's methods.
 */
export class DynamoPendingAuthorizationStore implements PendingAuthorizationStore {
  private readonly tickets: DynamoTicketStore;
  private readonly states: DynamoAuthorizationStateStore;
  private readonly completions: DynamoCompletionStore;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.tickets = new DynamoTicketStore(client, tableName);
    this.states = new DynamoAuthorizationStateStore(client, tableName);
    this.completions = new DynamoCompletionStore(client, tableName);
  }

  createTicket(ticket: TicketRecord): Promise<void> {
    return this.tickets.createTicket(ticket);
  }

  redeemTicket(ticketHash: string, now: Date): Promise<TicketRecord | null> {
    return this.tickets.redeemTicket(ticketHash, now);
  }

  open(pending: PendingAuthorization): Promise<void> {
    return this.states.open(pending);
  }

  recordLogin(stateHash: string, bindingHash: string, sellingPartnerId: string, now: Date): Promise<PendingAuthorization | null> {
    return this.states.recordLogin(stateHash, bindingHash, sellingPartnerId, now);
  }

  expiredFlow(stateHash: string, bindingHash: string, now: Date): Promise<PendingAuthorization | null> {
    return this.states.expiredFlow(stateHash, bindingHash, now);
  }

  consume(request: ConsumeRequest): Promise<ConsumeResult> {
    return this.states.consume(request);
  }

  claimCompletion(request: ClaimRequest): Promise<ClaimResult> {
    return this.completions.claimCompletion(request);
  }

  holdForConfirmation(stateHash: string, hold: ConfirmationHold): Promise<void> {
    return this.completions.holdForConfirmation(stateHash, hold);
  }

  claimConfirmation(request: ClaimRequest): Promise<ClaimResult> {
    return this.completions.claimConfirmation(request);
  }
}
