import type { AuthorizationOutcome, ReasonCode } from '../domain/authorization-outcomes.js';
import { CONSENT_WINDOW_MS } from '../domain/flow-lifetimes.js';

/**
 * Every sentence the browser pages of the authorization flow show (rendered by pages.ts): what
 * happened, then what to do. Changing a sentence changes only this file. docs/authorization.md,
 * "Outcomes", lists the same words per reason code.
 */

export interface PageText {
  readonly title: string;
  readonly message: string;
  readonly nextStep: string;
}

/** What each outcome's page says: what happened, then what to do. Also the subject of docs/authorization.md. */
export const REASON_TEXT: Readonly<Record<ReasonCode, PageText>> = {
  STATE_INVALID: {
    title: 'This authorization link is no longer valid',
    message: 'AoB could not match this return from Amazon to an authorization that is still open: it was unknown, already used, or expired. Nothing was stored.',
    nextStep: 'Go back to Venue Settings in AoB and click Authorize again.',
  },
  BROWSER_MISMATCH: {
    title: 'Please finish in the browser where you started',
    message: 'Amazon sent you back to a different browser (or one without the cookie AoB set when you clicked Authorize).',
    nextStep: 'Open Venue Settings in AoB in this browser and click Authorize again.',
  },
  ACCESS_DENIED: {
    title: 'Authorization was cancelled on Amazon',
    message: 'Amazon reported that access was not granted, so nothing was connected.',
    nextStep: 'If this was a mistake, go back to Venue Settings in AoB, click Authorize and confirm on Amazon.',
  },
  CODE_EXCHANGE_FAILED: {
    title: 'Amazon did not accept the authorization',
    message: 'Amazon refused the one-time code it issued (it may have expired after 5 minutes or been used already). Nothing was stored.',
    nextStep: 'Go back to Venue Settings in AoB and click Authorize again.',
  },
  AMAZON_UNAVAILABLE: {
    title: 'Amazon could not finish the authorization just now',
    message: 'Amazon did not respond in time, or reported a problem on its side, so the authorization could not be completed. Nothing was stored.',
    nextStep: 'Wait a few minutes, then go back to Venue Settings in AoB and click Authorize again.',
  },
  WRONG_REGION: {
    title: 'This Amazon account does not sell in this region',
    message: 'The Amazon seller account you signed in with has no marketplace in the region you authorized. Nothing was stored.',
    nextStep: 'Go back to Venue Settings in AoB, click Authorize on the marketplace where this account sells, or sign in to Amazon with the right account.',
  },
  APP_CREDENTIALS_INVALID: {
    title: 'AoB cannot talk to Amazon right now',
    message: "AoB's own Amazon app credentials were refused. This is a problem on our side, not with your account, and our team has been alerted.",
    nextStep: 'Please try again later; your existing connections are not affected.',
  },
  SERVICE_UNAVAILABLE: {
    title: 'AoB could not finish the authorization',
    message: 'Something failed on our side while AoB was finishing the authorization. Nothing was saved, and our team has been alerted.',
    nextStep: 'Wait a few minutes, then go back to Venue Settings in AoB and click Authorize again.',
  },
  FLOW_EXPIRED: {
    title: `This took longer than ${CONSENT_WINDOW_MS / 60_000} minutes; nothing was saved`,
    message: `For your security an authorization has to be confirmed on Amazon within ${CONSENT_WINDOW_MS / 60_000} minutes of clicking Authorize. Nothing changed on your account.`,
    nextStep: 'Go back to Venue Settings in AoB and click Authorize again; it takes two clicks on Amazon.',
  },
  ACCOUNT_MISMATCH: {
    title: 'This authorization was started from another AoB account. Nothing was saved.',
    message: 'The authorization link you followed was created by a different AoB account than the one you are signed in with, so AoB did not connect your Amazon seller account to either.',
    nextStep: 'If you want to connect Amazon to your AoB account, go to Venue Settings in AoB and click Authorize there yourself. Never use an authorization link someone sent you.',
  },
};

export const SUCCESS_TEXT: PageText = {
  title: 'Amazon is connected',
  message: 'AoB can now work with your Amazon seller account. The authorization lasts one year; AoB will remind you before it runs out.',
  nextStep: 'Go back to Venue Settings in AoB to check the status and set the venue to Active.',
};

export const NOT_REGISTERED_TEXT: PageText = {
  title: 'Amazon is connected, but not for this marketplace',
  message: 'The authorization was stored, but your Amazon seller account is not registered to sell on this marketplace.',
  nextStep: 'Register the marketplace in Seller Central, or activate a marketplace where you already sell, in Venue Settings in AoB.',
};

export const RENEWED_TEXT: PageText = {
  title: 'Amazon authorization renewed',
  message: 'Your Amazon authorization was renewed for another year. Venues you had set Active stay Active.',
  nextStep: 'Nothing else to do. Venue Settings in AoB shows the new expiry date.',
};

/** The outcome page's words; a replacement names the Amazon seller account whose authorization it replaced. */
export function outcomeText(outcome: AuthorizationOutcome): PageText {
  if (outcome.kind === 'error') return REASON_TEXT[outcome.reason];
  const text = outcome.notice === 'NOT_REGISTERED' ? NOT_REGISTERED_TEXT : outcome.change?.kind === 'renewed' ? RENEWED_TEXT : SUCCESS_TEXT;
  if (outcome.change?.kind !== 'replaced') return text;
  return { ...text, message: `${text.message} This replaced the authorization of Amazon seller account ${outcome.change.sellingPartnerId}, which AoB no longer uses.` };
}

/** The ticket page (`GET /v1/amazon/authorize/{ticket}`) for a link that cannot be used. */
export const TICKET_INVALID_TEXT: PageText = {
  title: 'This authorization link has expired or was already used',
  message: 'Each link from AoB works once, for 10 minutes, to keep your Amazon account safe.',
  nextStep: 'Go back to Venue Settings in AoB and click Authorize to get a new link.',
};

/** The Log-in URI for parameters that did not come from Amazon as expected. */
export const LOGIN_INVALID_TEXT: PageText = {
  title: 'This sign-in link from Amazon is not valid',
  message: 'The link that brought you here is incomplete or was changed on the way, so AoB did not follow it.',
  nextStep: 'Start again from Venue Settings in AoB (click Authorize), or from Manage Your Apps in Seller Central.',
};

/**
 * The callback with no frontend configured: Amazon said yes, but nothing is stored until a
 * request with the AoB JWT of the account that started the flow completes it.
 */
export const FINISH_IN_AOB_TEXT: PageText = {
  title: 'Finish in AoB',
  message: 'Amazon confirmed the authorization. AoB saves nothing until you finish it while signed in to the AoB account that started it, within 5 minutes.',
  nextStep: 'Go back to AoB in this browser; it finishes the authorization with the completion reference below.',
};

/** The Log-in URI when the flow started on Amazon and there is no frontend to continue in. */
export const SIGN_IN_FIRST_TEXT: PageText = {
  title: 'Sign in to AoB first',
  message: 'You came from Amazon Seller Central. AoB needs to know which AoB account to connect before it can finish.',
  nextStep: 'Sign in to AoB, open Settings → Venue Settings and click Authorize on the Amazon marketplace.',
};

/** An unexpected fault on a browser route. */
export const INTERNAL_ERROR_TEXT: PageText = {
  title: 'Something went wrong on our side',
  message: 'AoB could not complete this step. Nothing about your Amazon account was changed.',
  nextStep: 'Wait a minute, then go back to Venue Settings in AoB and click Authorize again.',
};
