/* global document, Node, setTimeout -- browser module, served as is */
/** Small DOM and wording helpers shared by the Venue Settings page and the connect view. */

/**
 * Builds an element. Text is always set as text (never parsed as HTML), so messages from the
 * API or the query string cannot inject markup.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') el.className = value;
    else if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "27 Nov 2026", in the seller's time zone. */
export function formatDate(iso) {
  const d = new Date(iso);
  return `${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()}`;
}

/** The short name of the seller's time zone at that instant: "UTC", "GMT+1", "PST". */
function zoneName(d) {
  const part = new Intl.DateTimeFormat('en-GB', { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName');
  return part ? part.value : 'local time';
}

/**
 * "27 Nov 2026, 14:05 UTC": used when the remaining time is counted in hours. The time is the
 * seller's own, and its zone is named, so nobody has to guess whose 14:05 it is.
 */
export function formatDateTime(iso) {
  const d = new Date(iso);
  const hh = String(d.getHours()).padStart(2, '0');
  const mm = String(d.getMinutes()).padStart(2, '0');
  return `${formatDate(iso)}, ${hh}:${mm} ${zoneName(d)}`;
}

/** "amazon.co.uk, amazon.de and amazon.fr" */
export function listWords(items) {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * Fills a banner. Errors use role="alert" (announced at once), everything else role="status".
 * `focus` moves keyboard and screen-reader focus to it: used when the page opens on an outcome.
 */
export function showBanner(el, { kind, title, lines = [], actions = [], focus = false }) {
  el.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  el.dataset.kind = kind;
  el.className = `banner banner-${kind}`;
  const heading = h('p', { class: 'banner-title', tabindex: '-1' }, title);
  const parts = [heading, ...lines.map((line) => h('p', {}, line))];
  if (actions.length) parts.push(h('div', { class: 'banner-actions' }, ...actions));
  parts.push(h('button', { type: 'button', class: 'banner-close link-button', 'aria-label': 'Dismiss this message', onclick: () => clearBanner(el) }, 'Dismiss'));
  el.replaceChildren(...parts);
  el.hidden = false;
  if (focus) heading.focus();
}

export function clearBanner(el) {
  el.replaceChildren();
  el.hidden = true;
  delete el.dataset.kind;
}

/** Shows an API error (its plain `message`) in the page's error banner. */
export function showError(el, error, { title = 'Something went wrong', actions = [] } = {}) {
  const message = error && typeof error.message === 'string' && error.message ? error.message : 'An unexpected error occurred. Please reload the page.';
  showBanner(el, { kind: 'error', title, lines: [message], actions });
  el.scrollIntoView({ block: 'nearest' });
}

/** The link back to Venue Settings that the connect and completion pages offer. */
export function backLink() {
  return h('a', { href: '/', 'data-testid': 'back-to-settings' }, 'Back to Venue Settings');
}

/** Marks a form field invalid with a hint saying how to fix it, and puts the focus on it. */
export function markInvalid(field, hint, text) {
  hint.textContent = text;
  field.setAttribute('aria-invalid', 'true');
  field.focus();
}

/** Clears what `markInvalid` set. */
export function clearInvalid(field, hint) {
  hint.textContent = '';
  field.removeAttribute('aria-invalid');
}

/** Announces a short confirmation to screen readers without moving focus. */
export function announce(text) {
  const live = document.getElementById('live');
  if (!live) return;
  live.textContent = '';
  // A fresh text node after a tick makes screen readers repeat identical messages too.
  setTimeout(() => {
    live.textContent = text;
  }, 50);
}
