/* global URLSearchParams -- browser module, served as is */
/**
 * What the seller reads after Amazon sends them back (docs/authorization.md, website workflow step 5): the callback redirects
 * to this page with `amazon_authorization=success|error`, `marketplace`, `reason` and `notice`.
 * Every outcome says what happened and what to do next, in plain words.
 */
import { marketplaceInfo, regionTitle } from './marketplaces.js';
import { formatDate } from './ui.js';

const OUTCOME_PARAMS = ['amazon_authorization', 'marketplace', 'reason', 'notice', 'change', 'replaced'];

/** Amazon's selling partner ids: anything else in `replaced` is not repeated on the page. */
const SELLING_PARTNER_ID = /^[A-Z0-9]{6,32}$/;

/**
 * Reads the outcome from the query string, or null when the page was not opened by a return
 * from Amazon.
 */
export function readOutcome(search) {
  const params = new URLSearchParams(search);
  const result = params.get('amazon_authorization');
  if (result !== 'success' && result !== 'error') return null;
  return {
    result,
    marketplace: (params.get('marketplace') ?? '').toUpperCase(),
    reason: params.get('reason') ?? '',
    notice: params.get('notice') ?? '',
    change: params.get('change') === 'renewed' || params.get('change') === 'replaced' ? params.get('change') : '',
    replaced: SELLING_PARTNER_ID.test(params.get('replaced') ?? '') ? params.get('replaced') : '',
  };
}

/** The URL without the outcome parameters, so a reload or a bookmark does not replay the banner. */
export function urlWithoutOutcome(location) {
  const params = new URLSearchParams(location.search);
  for (const name of OUTCOME_PARAMS) params.delete(name);
  const query = params.toString();
  return `${location.pathname}${query ? `?${query}` : ''}${location.hash}`;
}

const REASONS = {
  STATE_INVALID: {
    title: 'This authorization link has expired or was already used',
    what: 'An authorization works once, and this one was already used or is not known here. Nothing changed on your account.',
    next: (m) => `Click Authorize on ${m.domain} below to start again, and confirm on Amazon within 20 minutes.`,
    retry: true,
  },
  FLOW_EXPIRED: {
    // The service's consent window (CONSENT_WINDOW_MS in lambdas/domain/flow-lifetimes.ts).
    title: 'This took longer than 20 minutes; nothing was saved',
    what: 'For your security, an authorization has to be confirmed on Amazon within 20 minutes of clicking Authorize. Nothing changed on your account.',
    next: (m) => `Click "Authorize ${m.domain} again" below: it takes two clicks on Amazon.`,
    retry: true,
  },
  BROWSER_MISMATCH: {
    title: 'The authorization finished in a different browser',
    what: 'For your security, the authorization has to finish in the same browser where you clicked Authorize. Nothing changed on your account.',
    next: (m) => `Click Authorize on ${m.domain} below in this browser, and complete the steps on Amazon without switching browser or device.`,
    retry: true,
  },
  ACCESS_DENIED: {
    title: 'You declined the authorization on Amazon',
    what: 'AoB was not given access to your Amazon seller account. Nothing changed.',
    next: (m) => `When you are ready, click Authorize on ${m.domain} below and confirm on Amazon.`,
    retry: true,
  },
  CODE_EXCHANGE_FAILED: {
    title: 'Amazon did not accept the authorization',
    what: 'You confirmed on Amazon, but Amazon refused to hand the access over to AoB (this happens when the confirmation took too long or was sent twice). Nothing was saved.',
    next: (m) => `Click Authorize on ${m.domain} below to start again. If it happens again, contact AoB support.`,
    retry: true,
  },
  AMAZON_UNAVAILABLE: {
    title: 'Amazon could not finish the authorization just now',
    what: "Amazon's servers did not respond in time, or reported a problem on their side, while AoB finished the authorization. Nothing was saved.",
    next: (m) => `Try again in a few minutes: click Authorize on ${m.domain} below.`,
    retry: true,
  },
  WRONG_REGION: {
    title: 'You signed in to Amazon with an account from another region',
    what: (m) =>
      `The Amazon seller account you used does not sell in ${regionTitle(m.region) || 'the region of this marketplace'}, where ${m.domain} is. Nothing was saved.`,
    next: (m) => `Click Authorize on ${m.domain} below and sign in to Amazon with the seller account you use for ${m.domain}, or authorize a marketplace of your account's own region.`,
    retry: true,
  },
  SERVICE_UNAVAILABLE: {
    title: 'AoB could not finish the authorization',
    what: 'Something failed on our side while AoB was finishing the authorization. Nothing was saved, and our engineers have been alerted.',
    next: (m) => `Wait a few minutes, then click Authorize on ${m.domain} below again.`,
    retry: true,
  },
  ACCOUNT_MISMATCH: {
    title: 'This authorization was started from another AoB account. Nothing was saved.',
    what: 'The authorization link you followed was created by a different AoB account than the one you are signed in with, so AoB did not connect your Amazon seller account to anything.',
    next: (m) => `If you want to connect Amazon to this AoB account, click Authorize on ${m.domain} below yourself. Never use an authorization link someone sent you.`,
    retry: true,
  },
  APP_CREDENTIALS_INVALID: {
    title: "A problem on AoB's side",
    what: "AoB's connection to Amazon is misconfigured. This is not something you did, and our engineers have been alerted. Nothing changed on your Amazon account.",
    next: () => 'Please try again later. There is nothing you need to change.',
    retry: false,
  },
};

const UNKNOWN_REASON = {
  title: 'The Amazon authorization did not complete',
  what: 'Nothing changed on your account.',
  next: (m, reason) => `Click Authorize on ${m.domain} below to try again. If it keeps happening, contact AoB support${reason ? ` and mention the code ${reason}` : ''}.`,
  retry: true,
};

function covers(m) {
  if (m.region === 'NA') return 'The same authorization covers all your North American marketplaces: their status is shown below.';
  if (m.region === 'EU') return 'The same authorization covers all your European marketplaces: their status is shown below.';
  return null;
}

/**
 * The banner for an outcome: `{kind, title, lines, retry}`; `retry` is true when starting the
 * authorization again is the next step. `venue` is the authorized venue as the API shows it now
 * (its new expiry, whether the seller chose it Active), when the page has it.
 */
export function describeOutcome(outcome, venue = null) {
  const m = marketplaceInfo(outcome.marketplace || '');
  const known = Boolean(outcome.marketplace) && m.region !== '';
  const where = known ? m.domain : 'your Amazon marketplace';
  if (outcome.result === 'success') {
    const renewed = outcome.change === 'renewed';
    const until = venue?.token?.expiresAt ? ` until ${formatDate(venue.token.expiresAt)}` : ' for another year';
    const lines = [renewed ? `Your Amazon authorization for ${where} is renewed${until}.` : `AoB is now connected to your Amazon seller account for ${where}.`];
    const coverage = known ? covers(m) : null;
    if (coverage) lines.push(coverage);
    if (outcome.change === 'replaced') {
      lines.push(
        outcome.replaced
          ? `This replaced the authorization of Amazon seller account ${outcome.replaced}: AoB no longer uses that account for ${known && m.region !== 'FE' ? regionTitle(m.region) : where}.`
          : `This replaced the authorization of another Amazon seller account: AoB no longer uses that account for ${where}.`,
      );
    }
    if (outcome.notice === 'NOT_REGISTERED') {
      lines.push(
        `Your Amazon seller account is not registered to sell on ${where}, so that venue cannot be set Active. Register for ${where} in Amazon Seller Central, or set Active the marketplaces below where you do sell.`,
      );
      return { kind: 'warning', title: 'Amazon authorization complete, with one thing to check', lines, retry: false };
    }
    if (outcome.change === 'replaced') return { kind: 'warning', title: 'Amazon authorization complete: another seller account was replaced', lines, retry: false };
    if (renewed) {
      if (!venue?.activeChoice) lines.push('Tick Active on each venue you want AoB to use.');
      return { kind: 'success', title: 'Amazon authorization renewed', lines, retry: false };
    }
    if (!venue?.activeChoice) lines.push('Next: tick Active on each venue you want AoB to use.');
    return { kind: 'success', title: 'Amazon authorization complete', lines, retry: false };
  }
  // Own properties only: `reason=constructor` or `__proto__` must not reach Object.prototype.
  const reason = Object.hasOwn(REASONS, outcome.reason) ? REASONS[outcome.reason] : UNKNOWN_REASON;
  const what = typeof reason.what === 'function' ? reason.what(m) : reason.what;
  const target = known ? m : { ...m, domain: 'the marketplace' };
  return {
    kind: 'error',
    title: reason.title,
    lines: [what, `What to do: ${reason.next(target, outcome.reason)}`],
    retry: reason.retry && known,
  };
}
