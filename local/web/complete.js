/* global document, history, location, sessionStorage, URL, URLSearchParams -- browser module, served as is */
/**
 * The completion page: where the service's callback sends the browser once Amazon has said yes
 * (`/complete#completion={handle}`). Nothing is saved yet. This page posts the handle with the
 * seller's JWT at once; the service exchanges Amazon's code only if the JWT's account started the
 * flow, then the page moves on to the same outcome page (`/?amazon_authorization=…`) as before.
 * A flow started in Seller Central first shows which Amazon seller is being connected to which
 * AoB account, and saves only after the seller clicks Connect.
 */
import { ApiError, api, initAccountBar } from './session.js';
import { backLink, clearBanner, h, showError } from './ui.js';

const HANDLE_PATTERN = /^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/;
const HANDLE_KEY = 'aob.amazonCompletion';
const ROUTE = '/v1/amazon/authorization-completions';

const errorBanner = document.getElementById('error-banner');
const view = document.getElementById('complete');

/** The handle leaves the address bar (and the history) at once; the tab keeps it for a reload. */
function takeHandle() {
  const fromUrl = new URLSearchParams(location.hash.slice(1)).get('completion');
  if (fromUrl) {
    sessionStorage.setItem(HANDLE_KEY, fromUrl);
    history.replaceState(null, '', location.pathname);
    return fromUrl;
  }
  return sessionStorage.getItem(HANDLE_KEY);
}

/** Only ever this origin's outcome page: never a URL from elsewhere. */
function goTo(url) {
  sessionStorage.removeItem(HANDLE_KEY);
  const target = new URL(url, location.origin);
  location.replace(target.origin === location.origin ? `${target.pathname}${target.search}` : '/');
}

function outcomeUrl(body) {
  if (typeof body?.redirectUrl === 'string') return body.redirectUrl;
  const query = new URLSearchParams({ amazon_authorization: body?.amazonAuthorization === 'success' ? 'success' : 'error' });
  if (body?.marketplace) query.set('marketplace', body.marketplace);
  if (body?.reason) query.set('reason', body.reason);
  if (body?.notice) query.set('notice', body.notice);
  if (body?.change) query.set('change', body.change);
  if (body?.replacedSellingPartnerId) query.set('replaced', body.replacedSellingPartnerId);
  return `/?${query}`;
}

function renderMissing() {
  view.replaceChildren(
    h(
      'div',
      { class: 'panel', 'data-testid': 'complete-missing' },
      h('h2', {}, 'There is no authorization to finish here'),
      h('p', {}, 'Amazon sends you to this page after you confirm an authorization, and the link carries what AoB needs to finish it. This link does not, so nothing was saved.'),
      h('p', {}, 'What to do: go back to Venue Settings and click Authorize on the marketplace you want.'),
      h('p', {}, backLink()),
    ),
  );
}

/** The signed-in seller's click for a flow started in Seller Central: who is connected to which account. */
function renderConfirmation(handle, body) {
  const { sellingPartnerId, storeName, accountId } = body.confirmation;
  const connect = h('button', { type: 'button', class: 'primary', 'data-testid': 'confirm-connect' }, 'Connect');
  const cancel = h('button', { type: 'button', class: 'secondary', 'data-testid': 'confirm-cancel' }, 'Cancel');
  const decide = async (decision) => {
    clearBanner(errorBanner);
    connect.disabled = true;
    cancel.disabled = true;
    await send(handle, decision);
    connect.disabled = false;
    cancel.disabled = false;
  };
  connect.addEventListener('click', () => decide('confirm'));
  cancel.addEventListener('click', () => decide('cancel'));
  view.replaceChildren(
    h(
      'div',
      { class: 'panel', 'data-testid': 'confirmation' },
      h('h2', {}, 'Connect this Amazon seller account to AoB?'),
      h(
        'dl',
        { class: 'confirmation' },
        h('dt', {}, 'Amazon seller'),
        h('dd', { 'data-testid': 'confirm-store' }, storeName ?? 'Amazon did not name the store'),
        h('dt', {}, 'Amazon selling partner id'),
        h('dd', {}, h('code', { 'data-testid': 'confirm-selling-partner' }, sellingPartnerId)),
        h('dt', {}, 'AoB account'),
        h('dd', {}, h('strong', { 'data-testid': 'confirm-account' }, accountId)),
      ),
      h('p', {}, 'Nothing is saved until you click Connect. If this is not your Amazon store or not your AoB account, click Cancel.'),
      h('div', { class: 'actions' }, connect, cancel),
    ),
  );
  connect.focus();
}

async function send(handle, decision) {
  try {
    const body = await api('POST', ROUTE, decision ? { completion: handle, decision } : { completion: handle });
    if (body?.amazonAuthorization === 'confirm' && body.confirmation) return renderConfirmation(handle, body);
    goTo(outcomeUrl(body));
  } catch (error) {
    // ACCOUNT_MISMATCH (403) carries the outcome page to show, like every other outcome.
    if (error instanceof ApiError && error.details && typeof error.details === 'object' && error.details.amazonAuthorization) return goTo(outcomeUrl(error.details));
    showError(errorBanner, error, { title: 'AoB could not finish the authorization', actions: [backLink()] });
  }
}

initAccountBar({
  onSwitch: () => undefined,
  onError: (error) => showError(errorBanner, error, { title: 'Could not switch account' }),
});
const handle = takeHandle();
if (!handle || !HANDLE_PATTERN.test(handle)) renderMissing();
else await send(handle, undefined);
document.body.dataset.ready = 'true';
