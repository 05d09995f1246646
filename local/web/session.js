/* global document, fetch, sessionStorage -- browser module, served as is */
/**
 * Local sign-in and the one way this page talks to the API. The local stack's dev issuer stands
 * in for AoB's real sign-in: the JWT it returns lives in sessionStorage only (one tab, gone when
 * the tab closes). Every failure becomes an ApiError carrying a sentence a seller can act on.
 */

import { clearInvalid, markInvalid } from './ui.js';

export const DEFAULT_ACCOUNT = 'demo-seller';
const TOKEN_KEY = 'aob.dev.token';
const ACCOUNT_KEY = 'aob.dev.accountId';
const ACCOUNT_PATTERN = /^[A-Za-z0-9._:@-]{1,128}$/;

export class ApiError extends Error {
  constructor(message, { status = 0, code = 'UNKNOWN', details } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

const NETWORK_MESSAGE =
  'Could not reach AoB: the network request failed. Check your internet connection, then try again.';

export function currentAccountId() {
  return sessionStorage.getItem(ACCOUNT_KEY) ?? DEFAULT_ACCOUNT;
}

export function isValidAccountId(value) {
  return ACCOUNT_PATTERN.test(value);
}

async function readJson(response) {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorFrom(response, body) {
  const error = body && typeof body === 'object' ? body.error : undefined;
  if (error && typeof error.message === 'string') {
    return new ApiError(error.message, { status: response.status, code: error.code, details: error.details });
  }
  return new ApiError(`AoB answered with an unexpected error (HTTP ${response.status}). Please try again in a minute.`, {
    status: response.status,
    code: 'UNEXPECTED_RESPONSE',
  });
}

async function send(method, path, { body, token } = {}) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  try {
    return await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  } catch {
    throw new ApiError(NETWORK_MESSAGE, { code: 'NETWORK' });
  }
}

/** Signs in as `accountId` through the local dev issuer and remembers the JWT for this tab. */
export async function signIn(accountId) {
  const response = await send('POST', '/__dev/token', { body: { accountId } });
  const body = await readJson(response);
  if (!response.ok) throw errorFrom(response, body);
  if (typeof body?.token !== 'string') {
    throw new ApiError('Signing in failed: the local sign-in answered without a token. Reload the page to try again.', { code: 'SIGN_IN_FAILED' });
  }
  sessionStorage.setItem(ACCOUNT_KEY, accountId);
  sessionStorage.setItem(TOKEN_KEY, body.token);
  return body.token;
}

async function token() {
  return sessionStorage.getItem(TOKEN_KEY) ?? (await signIn(currentAccountId()));
}

/**
 * Calls the AoB API with the seller's JWT. A 401 means the token expired (or the local clock
 * moved past it): sign in again once and repeat, so a stale tab never strands the seller.
 */
export async function api(method, path, body) {
  let response = await send(method, path, { body, token: await token() });
  if (response.status === 401) {
    response = await send(method, path, { body, token: await signIn(currentAccountId()) });
  }
  const data = await readJson(response);
  if (!response.ok) throw errorFrom(response, data);
  return data;
}

/**
 * Wires the "Signed in as account …" bar. `onSwitch` runs after a successful switch so the page
 * can reload what it shows; failures go to `onError`.
 */
export function initAccountBar({ onSwitch, onError }) {
  const form = document.getElementById('account-form');
  const shown = document.getElementById('account-id');
  const input = document.getElementById('account-input');
  const hint = document.getElementById('account-hint');
  shown.textContent = currentAccountId();
  input.value = '';
  input.placeholder = currentAccountId();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const accountId = input.value.trim();
    if (!isValidAccountId(accountId)) {
      markInvalid(input, hint, 'Use 1–128 letters, digits or . _ : @ - (for example demo-seller).');
      return;
    }
    clearInvalid(input, hint);
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      await signIn(accountId);
      shown.textContent = accountId;
      input.value = '';
      input.placeholder = accountId;
      await onSwitch(accountId);
    } catch (error) {
      onError(error);
    } finally {
      button.disabled = false;
    }
  });
}
