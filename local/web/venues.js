/* global document, history, location, window -- browser module, served as is */
/**
 * The reference Venue Settings page (docs/venues.md, docs/authorization.md): every Amazon marketplace with its token
 * status in plain words, and the three things a seller can do there: authorize, set Active,
 * disconnect. It talks only to the public HTTP contract (docs/venues.md, docs/authorization.md).
 */
import { REGION_NOTES, marketplaceInfo, regionTitle } from './marketplaces.js';
import { describeOutcome, readOutcome, urlWithoutOutcome } from './outcomes.js';
import { api, initAccountBar } from './session.js';
import { announce, clearBanner, formatDate, formatDateTime, h, listWords, showBanner, showError } from './ui.js';

const RETURN_PATH = '/';

/** Said beside a venue whose Active choice is kept while the venue cannot be Active. */
const HELD_CHOICE = 'You had set it Active: it becomes Active again by itself once it can be.';

const banner = document.getElementById('banner');
const errorBanner = document.getElementById('error-banner');
const container = document.getElementById('venues');
const attention = document.getElementById('attention');

/** The venues as last returned by the API, in its order (NA → EU → FE). */
let venues = [];

function hasToken(venue) {
  return venue.token.status !== 'none';
}

/** Covered by an authorization whose seller account is not registered to sell on this marketplace. */
function notSellingHere(venue) {
  return hasToken(venue) && venue.participating === false;
}

/** What the status means for the seller and what to do about it. */
function tokenHint(venue) {
  const { domain } = venue;
  if (notSellingHere(venue) && (venue.token.status === 'current' || venue.token.status === 'expiring')) {
    const scope = venue.region === 'FE' ? 'Your authorization' : `Your ${regionTitle(venue.region)} authorization`;
    return `${scope} covers ${domain}, but your Amazon seller account is not registered to sell there, so AoB cannot use it. Nothing to do unless you start selling on ${domain}.`;
  }
  switch (venue.token.status) {
    case 'none':
      return `AoB is not connected to ${domain}. Click Authorize and confirm on Amazon to connect.`;
    case 'current':
      return 'Connected. Nothing to do now: this page tells you when Amazon needs a new authorization.';
    case 'expiring':
      return `Amazon asks for a new authorization every year. Click Re-authorize and confirm on Amazon before it expires to keep AoB connected.`;
    case 'expired':
      return `AoB can no longer reach ${domain}. Click Re-authorize and confirm on Amazon to reconnect.`;
    case 'revoked':
      return `AoB's access was removed on Amazon (for example in Seller Central → Manage Your Apps). Click Re-authorize to reconnect.`;
    default:
      return '';
  }
}

function tokenDates(token) {
  if (!token.generatedAt) return null;
  const parts = [`Authorized on ${formatDate(token.generatedAt)}`];
  if (token.expiresAt) {
    if (token.status === 'expiring') {
      const within24h = token.hoursRemaining !== null && token.hoursRemaining <= 24;
      parts.push(`renew by ${within24h ? formatDateTime(token.expiresAt) : formatDate(token.expiresAt)}`);
    } else if (token.status === 'expired') {
      parts.push(`expired on ${formatDate(token.expiresAt)}`);
    } else if (token.status === 'current') {
      parts.push(`valid until ${formatDate(token.expiresAt)}`);
    }
  }
  return parts;
}

/** The venues one Disconnect will affect: the whole region's grant in NA/EU, the one venue in FE. */
function venuesSharingGrant(venue) {
  if (venue.region === 'FE') return [venue];
  return venues.filter(
    (v) => v.region === venue.region && hasToken(v) && v.token.sellingPartnerId === venue.token.sellingPartnerId,
  );
}

function renderVenue(venue) {
  const info = marketplaceInfo(venue.marketplace);
  const code = venue.marketplace;
  const { token, activation } = venue;
  const headingId = `venue-${code}-title`;
  const checkboxId = `active-${code}`;
  const reasonId = `active-${code}-reason`;
  // Only what the API says is in effect is ticked: an expired or revoked venue never looks Active.
  const canToggle = activation.allowed;
  const onHold = venue.activeChoice && !venue.active;
  const reason = activation.message ? (onHold ? `${activation.message} ${HELD_CHOICE}` : activation.message) : null;
  const dates = tokenDates(token);

  const authorize = h(
    'button',
    {
      type: 'button',
      class: 'primary',
      'data-testid': 'authorize',
      'aria-label': `${hasToken(venue) ? 'Re-authorize' : 'Authorize'} ${venue.domain}`,
      onclick: (event) => startAuthorization(venue, event.currentTarget),
    },
    hasToken(venue) ? 'Re-authorize' : 'Authorize',
  );
  const disconnect = hasToken(venue)
    ? h(
        'button',
        { type: 'button', class: 'secondary', 'data-testid': 'disconnect', 'aria-label': `Disconnect ${venue.domain}`, onclick: (event) => disconnectVenue(venue, event.currentTarget) },
        'Disconnect',
      )
    : null;

  // A box that cannot change is aria-disabled rather than disabled: it stays in the tab order, so
  // a keyboard or screen-reader user reaches it and hears the reason it describes.
  const checkbox = h('input', {
    type: 'checkbox',
    id: checkboxId,
    'data-testid': 'active',
    checked: venue.active,
    'aria-disabled': canToggle ? undefined : 'true',
    'aria-describedby': reason ? reasonId : undefined,
    onclick: (event) => {
      if (event.currentTarget.getAttribute('aria-disabled') === 'true') event.preventDefault();
    },
    onchange: (event) => setActive(venue, event.currentTarget),
  });

  return h(
    'section',
    // A named group, not a landmark: 23 landmarks would drown the page's real ones.
    {
      class: 'venue',
      role: 'group',
      'data-marketplace': code,
      'data-status': token.status,
      'data-active': String(venue.active),
      'data-active-choice': String(venue.activeChoice),
      'aria-labelledby': headingId,
    },
    h('h3', { id: headingId }, info.name, ' ', h('span', { class: 'domain' }, venue.domain)),
    h(
      'p',
      { class: 'token' },
      h('span', { class: `status-dot status-${token.status}`, 'aria-hidden': 'true' }),
      h('span', { class: 'visually-hidden' }, 'Authorization: '),
      h('strong', { class: `token-message status-text-${token.status}`, 'data-testid': 'token-message' }, token.message),
      notSellingHere(venue) ? h('span', { class: 'not-selling', 'data-testid': 'not-selling' }, ' · You do not sell here') : null,
    ),
    dates
      ? h(
          'p',
          { class: 'dates', 'data-testid': 'token-dates' },
          // Each phrase stays on one line: a date split across lines is hard to read.
          dates.flatMap((part, i) => [i ? ' · ' : null, h('span', { class: 'nowrap' }, part)]),
        )
      : null,
    h('p', { class: 'hint', 'data-testid': 'token-hint' }, tokenHint(venue)),
    token.sellingPartnerId ? h('p', { class: 'seller-id' }, 'Amazon seller account ', h('code', {}, token.sellingPartnerId)) : null,
    h('div', { class: 'actions' }, authorize, disconnect),
    h(
      'div',
      { class: `activation${canToggle ? '' : ' is-disabled'}` },
      h('span', { class: 'toggle' }, checkbox, h('label', { for: checkboxId }, 'Active', h('span', { class: 'visually-hidden' }, ` on ${venue.domain}`))),
      reason ? h('span', { class: 'activation-reason', id: reasonId, 'data-testid': 'activation-reason' }, reason) : null,
      h('span', { class: 'saving', 'data-testid': 'active-status', 'aria-hidden': 'true' }),
    ),
  );
}

function renderRegion(region, regionVenues) {
  const headingId = `region-${region}-title`;
  return h(
    'section',
    { class: 'region', 'data-region': region, 'aria-labelledby': headingId },
    h('h2', { id: headingId }, regionTitle(region)),
    REGION_NOTES[region] ? h('p', { class: 'region-note', 'data-testid': 'region-note' }, REGION_NOTES[region]) : null,
    h('div', { class: 'venue-grid' }, ...regionVenues.map(renderVenue)),
  );
}

const NEEDS_ATTENTION = new Set(['expiring', 'expired', 'revoked']);

/**
 * One entry per authorization that needs the seller: a whole region's shared grant in NA/EU,
 * one marketplace in FE. This answers "what am I watching for" before any scrolling.
 */
function attentionGroups() {
  const groups = new Map();
  for (const venue of venues) {
    if (!NEEDS_ATTENTION.has(venue.token.status)) continue;
    const key = venue.region === 'FE' ? venue.marketplace : `${venue.region}#${venue.token.sellingPartnerId}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(venue);
  }
  return [...groups.values()];
}

/** "Europe (5 marketplaces you sell on)": a region's shared grant counts the venues the seller can use. */
function attentionWhere(group) {
  const first = group[0];
  if (first.region === 'FE') return `${marketplaceInfo(first.marketplace).name} (${first.domain})`;
  const selling = group.filter((v) => v.participating === true);
  const counted = selling.length ? selling : group;
  const suffix = selling.length ? ' you sell on' : '';
  return `${regionTitle(first.region)} (${counted.length === 1 ? `${counted[0].domain}${suffix ? `, the marketplace${suffix}` : ''}` : `${counted.length} marketplaces${suffix}`})`;
}

function attentionText(group) {
  const first = group[0];
  const { token } = first;
  const where = attentionWhere(group);
  const them = group.length === 1 ? 'this venue' : 'these venues';
  if (token.status === 'expiring') {
    const within24h = token.hoursRemaining !== null && token.hoursRemaining <= 24;
    const by = within24h ? formatDateTime(token.expiresAt) : formatDate(token.expiresAt);
    return { where, message: token.message, next: `Re-authorize by ${by} to keep AoB connected.` };
  }
  if (token.status === 'expired') return { where, message: token.message, next: `AoB can no longer reach ${them}: re-authorize to reconnect.` };
  return { where, message: token.message, next: "AoB's access was removed on Amazon: re-authorize to reconnect." };
}

function renderAttention() {
  const groups = attentionGroups();
  if (!groups.length) {
    attention.replaceChildren();
    attention.hidden = true;
    return;
  }
  attention.hidden = false;
  attention.replaceChildren(
    h('h2', { id: 'attention-title' }, 'Needs your attention'),
    h(
      'ul',
      {},
      ...groups.map((group) => {
        // A venue the seller chose Active, then one they sell on: Amazon's consent page fits it.
        const target = group.find((v) => v.activeChoice) ?? group.find((v) => v.participating === true) ?? group[0];
        const text = attentionText(group);
        return h(
          'li',
          { 'data-testid': 'attention-item', 'data-marketplace': target.marketplace, 'data-status': target.token.status },
          h('span', { class: `status-dot status-${target.token.status}`, 'aria-hidden': 'true' }),
          h('span', { 'data-testid': 'attention-text' }, h('strong', {}, text.where), ': ', h('span', { class: `status-text-${target.token.status}` }, text.message), '. ', text.next),
          h(
            'button',
            { type: 'button', class: 'primary', 'data-testid': 'attention-authorize', 'aria-label': `Re-authorize ${text.where}`, onclick: (event) => startAuthorization(target, event.currentTarget) },
            'Re-authorize',
          ),
        );
      }),
    ),
  );
}

function render() {
  renderAttention();
  // Regions in the API's order of first appearance, venues in the API's order within each.
  const groups = new Map();
  for (const venue of venues) {
    if (!groups.has(venue.region)) groups.set(venue.region, []);
    groups.get(venue.region).push(venue);
  }
  container.removeAttribute('aria-busy');
  container.replaceChildren(...[...groups].map(([region, list]) => renderRegion(region, list)));
}

/** Replaces one venue's section in place and puts keyboard focus back where it was. */
function updateVenue(updated, focusTestId) {
  venues = venues.map((v) => (v.marketplace === updated.marketplace ? updated : v));
  const old = container.querySelector(`section[data-marketplace="${updated.marketplace}"]`);
  if (!old) return render();
  const fresh = renderVenue(updated);
  old.replaceWith(fresh);
  renderAttention();
  if (focusTestId) fresh.querySelector(`[data-testid="${focusTestId}"]`)?.focus();
}

async function loadVenues() {
  container.setAttribute('aria-busy', 'true');
  if (!venues.length) container.replaceChildren(h('p', { class: 'loading', role: 'status' }, 'Loading your Amazon venues…'));
  try {
    const body = await api('GET', '/v1/amazon/venues');
    venues = Array.isArray(body?.venues) ? body.venues : [];
    render();
  } catch (error) {
    container.removeAttribute('aria-busy');
    showError(errorBanner, error, {
      title: 'Your Amazon venues could not be loaded',
      actions: [h('button', { type: 'button', class: 'secondary', 'data-testid': 'retry', onclick: () => reload() }, 'Try again')],
    });
    if (!venues.length) {
      container.replaceChildren(h('p', { class: 'empty' }, 'Your venues are not shown because AoB could not load them. See the message above.'));
    }
  }
}

async function reload() {
  clearBanner(errorBanner);
  await loadVenues();
}

async function startAuthorization(venue, button) {
  clearBanner(errorBanner);
  const label = button.textContent;
  button.disabled = true;
  button.textContent = 'Opening Amazon…';
  try {
    const body = await api('POST', `/v1/amazon/venues/${encodeURIComponent(venue.marketplace)}/authorizations`, { returnPath: RETURN_PATH });
    announce(`Opening Amazon Seller Central for ${venue.domain}.`);
    location.assign(body.authorizationUrl);
  } catch (error) {
    button.disabled = false;
    button.textContent = label;
    showError(errorBanner, error, { title: `Could not start the authorization for ${venue.domain}` });
  }
}

async function setActive(venue, checkbox) {
  clearBanner(errorBanner);
  const wanted = checkbox.checked;
  const status = checkbox.closest('.activation')?.querySelector('[data-testid="active-status"]');
  checkbox.disabled = true;
  if (status) status.textContent = 'Saving…';
  try {
    const updated = await api('PUT', `/v1/amazon/venues/${encodeURIComponent(venue.marketplace)}`, { active: wanted });
    updateVenue(updated, 'active');
    const shown = container.querySelector(`section[data-marketplace="${updated.marketplace}"] [data-testid="active-status"]`);
    if (shown) shown.textContent = updated.active ? 'Saved: Active' : 'Saved: not active';
    announce(`${venue.domain} is ${updated.active ? 'now Active' : 'no longer Active'}.`);
  } catch (error) {
    checkbox.checked = !wanted;
    checkbox.disabled = false;
    if (status) status.textContent = '';
    checkbox.focus();
    showError(errorBanner, error, { title: `Could not ${wanted ? 'set' : 'unset'} ${venue.domain} Active` });
  }
}

async function disconnectVenue(venue, button) {
  clearBanner(errorBanner);
  const affected = venuesSharingGrant(venue);
  const domains = affected.map((v) => v.domain);
  const question =
    venue.region === 'FE'
      ? `Disconnect AoB from ${venue.domain}?\n\nAoB will stop reaching ${venue.domain} and the venue will be set inactive, until you authorize again.`
      : `Disconnect AoB from Amazon in ${regionTitle(venue.region)}?\n\nOne authorization serves these venues, so all of them will be disconnected and set inactive:\n${domains.join(', ')}\n\nAoB will stop reaching them until you authorize again.`;
  if (!window.confirm(question)) return;
  button.disabled = true;
  button.textContent = 'Disconnecting…';
  try {
    const body = await api('DELETE', `/v1/amazon/venues/${encodeURIComponent(venue.marketplace)}/authorization`);
    const changed = Array.isArray(body?.venues) ? body.venues : [];
    for (const v of changed) venues = venues.map((old) => (old.marketplace === v.marketplace ? v : old));
    render();
    const names = changed.length ? changed.map((v) => v.domain) : domains;
    showBanner(banner, {
      kind: 'info',
      title: 'Disconnected from Amazon',
      lines: [
        names.length === 1
          ? `AoB no longer reaches ${names[0]}, and the venue is not Active any more.`
          : `AoB's authorization for ${regionTitle(venue.region)} was removed: AoB no longer reaches these ${names.length} marketplaces, and none of them is Active any more: ${listWords(names)}.`,
        'Click Authorize whenever you want to connect again.',
      ],
      // The button that was pressed is gone with the re-render: focus goes to the result.
      focus: true,
    });
    banner.scrollIntoView({ block: 'nearest' });
  } catch (error) {
    button.disabled = false;
    button.textContent = 'Disconnect';
    showError(errorBanner, error, { title: `Could not disconnect ${venue.domain}` });
  }
}

/** The banner after Amazon sends the seller back; the query string is cleaned straight away. */
function showReturnBanner(search) {
  const outcome = readOutcome(search);
  if (!outcome) return;
  const text = describeOutcome(outcome, venues.find((v) => v.marketplace === outcome.marketplace) ?? null);
  const actions = [];
  if (text.retry) {
    const info = marketplaceInfo(outcome.marketplace);
    actions.push(
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          'data-testid': 'banner-authorize',
          onclick: (event) => {
            const venue = venues.find((v) => v.marketplace === outcome.marketplace) ?? { marketplace: outcome.marketplace, domain: info.domain };
            startAuthorization(venue, event.currentTarget);
          },
        },
        `Authorize ${info.domain} again`,
      ),
    );
  }
  showBanner(banner, { kind: text.kind, title: text.title, lines: text.lines, actions, focus: true });
  banner.dataset.result = outcome.result;
  if (outcome.reason) banner.dataset.reason = outcome.reason;
}

initAccountBar({
  onSwitch: async (accountId) => {
    clearBanner(banner);
    venues = [];
    await reload();
    announce(`Signed in as account ${accountId}.`);
  },
  onError: (error) => showError(errorBanner, error, { title: 'Could not switch account' }),
});
// The outcome banner reads the venues (the renewed expiry date, whether the venue is Active).
const pendingOutcome = location.search;
history.replaceState(history.state, '', urlWithoutOutcome(location));
await loadVenues();
showReturnBanner(pendingOutcome);
document.body.dataset.ready = 'true';
