/* global document, history, location, sessionStorage, URLSearchParams -- browser module, served as is */
/**
 * The connect view (docs/authorization.md, "Started on Amazon"): where the service's Log-in URI sends a seller who started
 * authorizing AoB on Amazon (Seller Central → Manage Your Apps → Authorize / Re-Authorize, or the
 * Appstore). Amazon does not say which marketplace the seller means, so the seller picks one and
 * the service continues the flow from there.
 */
import { MARKETPLACES, REGION_TITLES, marketplaceInfo } from './marketplaces.js';
import { api, initAccountBar } from './session.js';
import { backLink, clearBanner, clearInvalid, h, markInvalid, showError } from './ui.js';

const REQUIRED = ['amazon_callback_uri', 'amazon_state', 'selling_partner_id'];

const errorBanner = document.getElementById('error-banner');
const view = document.getElementById('connect');

/**
 * Amazon's one-time values leave the address bar (and so the browser history) at once; the
 * session keeps them so a reload of this tab can still continue.
 */
const CONTINUATION_KEY = 'aob.amazonContinuation';
function takeContinuation() {
  const fromUrl = new URLSearchParams(location.search);
  if (REQUIRED.some((name) => fromUrl.get(name))) {
    sessionStorage.setItem(CONTINUATION_KEY, fromUrl.toString());
    history.replaceState(null, '', location.pathname);
    return fromUrl;
  }
  return new URLSearchParams(sessionStorage.getItem(CONTINUATION_KEY) ?? '');
}

const params = takeContinuation();
const missing = REQUIRED.filter((name) => !params.get(name));

function renderMissing() {
  view.replaceChildren(
    h(
      'div',
      { class: 'panel', 'data-testid': 'connect-missing' },
      h('h2', {}, 'This link is missing the details from Amazon'),
      h(
        'p',
        {},
        'This page continues an authorization you started in Amazon Seller Central, and Amazon adds the details it needs to the link. The link you followed does not have them, so there is nothing to continue.',
      ),
      h(
        'p',
        {},
        'What to do: authorize from Venue Settings instead (click Authorize on the marketplace you want), or start again in Amazon Seller Central under Apps and Services → Manage Your Apps.',
      ),
      h('p', {}, backLink()),
    ),
  );
}

function marketplaceOptions(venuesByCode) {
  const groups = new Map();
  for (const m of MARKETPLACES) {
    if (!groups.has(m.region)) groups.set(m.region, []);
    groups.get(m.region).push(m);
  }
  return [...groups].map(([region, list]) =>
    h(
      'optgroup',
      { label: REGION_TITLES[region] ?? region },
      ...list.map((m) => {
        const status = venuesByCode.get(m.code)?.token?.message;
        return h('option', { value: m.code }, `${m.name} — ${m.domain}${status ? ` (${status})` : ''}`);
      }),
    ),
  );
}

/**
 * The warning before a different Amazon seller account replaces the one connected for the chosen
 * venue (its region in NA/EU, the marketplace in FE); empty when nothing would be replaced.
 */
function replacementWarning(venue, sellingPartnerId) {
  const current = venue?.token?.status !== 'none' ? venue?.token?.sellingPartnerId : null;
  if (!current || current === sellingPartnerId) return '';
  const where = venue.region === 'FE' ? venue.domain : `${REGION_TITLES[venue.region] ?? venue.region}`;
  return `Amazon seller account ${current} is connected for ${where} now. Continuing replaces it with ${sellingPartnerId}: AoB will stop using ${current} there.`;
}

/** The marketplace this seller id already serves, so a Re-Authorize lands on the right venue. */
function preselected(venues, sellingPartnerId) {
  return venues.find((v) => v.token?.sellingPartnerId === sellingPartnerId && v.token.status !== 'none')?.marketplace ?? '';
}

async function renderForm() {
  const sellingPartnerId = params.get('selling_partner_id');
  let venues = [];
  try {
    const body = await api('GET', '/v1/amazon/venues');
    venues = Array.isArray(body?.venues) ? body.venues : [];
  } catch (error) {
    // The choice still works without the statuses; say why they are missing.
    showError(errorBanner, error, { title: 'Your current Amazon venues could not be loaded' });
  }
  const venuesByCode = new Map(venues.map((v) => [v.marketplace, v]));
  const select = h(
    'select',
    { id: 'marketplace', name: 'marketplace', required: true, 'aria-describedby': 'marketplace-help' },
    h('option', { value: '' }, 'Choose a marketplace…'),
    ...marketplaceOptions(venuesByCode),
  );
  select.value = preselected(venues, sellingPartnerId);
  const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'continue' }, 'Continue to Amazon');
  const hint = h('p', { class: 'field-error', id: 'marketplace-error', role: 'alert' });
  const warning = h('p', { class: 'replace-warning', 'data-testid': 'replace-warning', role: 'status' });
  const warn = () => {
    warning.textContent = replacementWarning(venuesByCode.get(select.value), sellingPartnerId);
    warning.hidden = !warning.textContent;
  };
  select.addEventListener('change', warn);
  const form = h(
    'form',
    { id: 'connect-form', class: 'panel', novalidate: true },
    h('h2', {}, 'Finish connecting AoB to Amazon'),
    h('p', { 'data-testid': 'connect-intro' }, 'You started authorizing AoB from Amazon Seller Central. Choose the venue this authorization is for.'),
    h('p', { class: 'seller-id' }, 'Amazon seller account ', h('code', { 'data-testid': 'selling-partner-id' }, sellingPartnerId)),
    h('label', { for: 'marketplace' }, 'Venue (Amazon marketplace)'),
    select,
    h(
      'p',
      { id: 'marketplace-help', class: 'hint' },
      'In North America and Europe one authorization covers every marketplace of the region, so choose any marketplace where you sell; AoB then shows all of them. Far East marketplaces (Japan, Australia, Singapore) are authorized one by one.',
    ),
    hint,
    warning,
    h('div', { class: 'actions' }, submit, backLink()),
    h(
      'p',
      { class: 'hint', 'data-testid': 'connect-next' },
      'Next: Amazon sends you straight back to AoB, which shows the Amazon seller and the AoB account being connected. Nothing is saved until you click Connect there.',
    ),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearBanner(errorBanner);
    if (!select.value) {
      markInvalid(select, hint, 'Choose the marketplace this authorization is for.');
      return;
    }
    clearInvalid(select, hint);
    submit.disabled = true;
    submit.textContent = 'Opening Amazon…';
    try {
      const body = await api('POST', '/v1/amazon/login-continuations', {
        amazonCallbackUri: params.get('amazon_callback_uri'),
        amazonState: params.get('amazon_state'),
        sellingPartnerId,
        marketplace: select.value,
      });
      sessionStorage.removeItem(CONTINUATION_KEY);
      location.assign(body.authorizationUrl);
    } catch (error) {
      submit.disabled = false;
      submit.textContent = 'Continue to Amazon';
      showError(errorBanner, error, {
        title: `Could not continue the authorization for ${marketplaceInfo(select.value).domain}`,
        actions: [backLink()],
      });
    }
  });
  view.replaceChildren(form);
  warn();
}

initAccountBar({
  onSwitch: async () => {
    clearBanner(errorBanner);
    if (!missing.length) await renderForm();
  },
  onError: (error) => showError(errorBanner, error, { title: 'Could not switch account' }),
});
if (missing.length) renderMissing();
else await renderForm();
document.body.dataset.ready = 'true';
