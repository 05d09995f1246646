import type { Marketplace } from '../../lambdas/domain/marketplaces.js';
import { marketplace } from '../../lambdas/domain/marketplaces.js';
import { escapeHtml } from '../../lambdas/shared/html.js';
import type { TestSeller } from './sellers.js';

/**
 * Server-rendered Seller Central look-alikes. Every page carries the "local only" label so
 * nobody mistakes it for Amazon, and stable ids/names so browser tests can drive it.
 */

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font-family:"Amazon Ember",Arial,sans-serif;font-size:14px;color:#0f1111;background:#f3f3f3}
header{background:#232f3e;color:#fff;display:flex;align-items:center;gap:16px;padding:10px 24px}
header .logo{font-size:20px;font-weight:700;letter-spacing:-.5px}
header .logo span{color:#ff9900}
header .mp{font-size:13px;color:#ddd}
.badge{margin-left:auto;background:#ff9900;color:#111;font-weight:700;font-size:12px;padding:4px 10px;border-radius:12px}
nav{background:#37475a;color:#fff;padding:6px 24px;font-size:13px}
main{max-width:760px;margin:24px auto;background:#fff;border:1px solid #d5d9d9;border-radius:8px;padding:24px 32px}
h1{font-size:24px;font-weight:400;margin:0 0 12px}
h2{font-size:17px;margin:20px 0 8px}
.muted{color:#565959}
.box{border:1px solid #d5d9d9;border-radius:8px;padding:12px 16px;margin:12px 0;background:#fafafa}
.alert{border:1px solid #c40000;border-left-width:6px;border-radius:8px;padding:12px 16px;margin:12px 0;color:#c40000;background:#fff5f5}
label{display:block;margin:8px 0}
select{font-size:14px;padding:6px;border-radius:6px;border:1px solid #888c8c;min-width:360px}
button{font-size:14px;padding:8px 18px;border-radius:8px;cursor:pointer;margin-right:8px}
.primary{background:#ffd814;border:1px solid #fcd200}
.primary:disabled{background:#f7f7f7;border-color:#d5d9d9;color:#8d9096;cursor:not-allowed}
.secondary{background:#fff;border:1px solid #d5d9d9}
table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #e7e7e7;padding:8px;text-align:left;vertical-align:top}
code{background:#f0f2f2;padding:1px 4px;border-radius:4px}
footer{text-align:center;color:#565959;font-size:12px;margin:16px}
`;

function layout(title: string, mp: Marketplace | undefined, body: string): string {
  const where = mp ? `<span class="mp">${escapeHtml(mp.name)} · ${escapeHtml(mp.domain)}</span>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><link rel="icon" href="data:,">
<title>${escapeHtml(title)} · Amazon sandbox — local only</title><style>${STYLE}</style></head>
<body><header><div class="logo">amazon <span>seller central</span></div>${where}<div class="badge" id="sandbox-label">Amazon sandbox — local only</div></header>
<nav>Apps and Services</nav>
<main>${body}</main>
<footer>This page imitates Amazon Seller Central for local development. It is not Amazon and holds no real data.</footer>
</body></html>`;
}

export function errorPage(input: { mp?: Marketplace; title: string; code?: string; message: string }): string {
  const code = input.code ? `<p>Error code: <strong id="error-code">${escapeHtml(input.code)}</strong></p>` : '';
  return layout(
    input.title,
    input.mp,
    `<h1 id="error-title">${escapeHtml(input.title)}</h1><div class="alert" role="alert"><p id="error-message">${escapeHtml(input.message)}</p>${code}</div>`,
  );
}

function marketplaceList(seller: TestSeller): string {
  return seller.marketplaces.join(', ');
}

export interface ConsentPageInput {
  readonly mp: Marketplace;
  readonly appName: string;
  readonly developerName: string;
  readonly action: string;
  readonly formToken: string;
  readonly sellers: readonly TestSeller[];
  readonly selected: TestSeller;
  readonly problem?: string;
}

export function consentPage(input: ConsentPageInput): string {
  const options = input.sellers
    .map((s) => {
      const note = s.marketplaces.includes(input.mp.code) ? '' : ` — not registered on ${input.mp.code}`;
      const selected = s.sellingPartnerId === input.selected.sellingPartnerId ? ' selected' : '';
      return `<option value="${escapeHtml(s.sellingPartnerId)}"${selected}>${escapeHtml(s.storeName)} (${escapeHtml(s.sellingPartnerId)}; ${escapeHtml(marketplaceList(s))})${escapeHtml(note)}</option>`;
    })
    .join('');
  const problem = input.problem ? `<div class="alert" role="alert" id="consent-problem">${escapeHtml(input.problem)}</div>` : '';
  const app = escapeHtml(input.appName);
  const developer = escapeHtml(input.developerName);
  return layout(
    `Authorize ${input.appName}`,
    input.mp,
    `<h1>Authorize <span id="app-name">${app}</span></h1>
${problem}
<p><strong>${app}</strong>, developed by ${developer}, is requesting access to your Amazon selling account on ${escapeHtml(input.mp.name)}.</p>
<form method="post" action="${escapeHtml(input.action)}" id="consent-form">
<input type="hidden" name="form_token" id="form-token" value="${escapeHtml(input.formToken)}">
<label for="seller">Signed in as (sandbox test seller)</label>
<select id="seller" name="selling_partner_id">${options}</select>
<div class="box"><h2>${app} will be able to</h2><ul><li>Read the marketplaces your account participates in</li><li>Call the Selling Partner API on your behalf for the roles the app was granted</li></ul>
<p class="muted">You can revoke this authorization at any time from Manage Your Apps.</p></div>
<label><input type="checkbox" id="consent-checkbox" name="consent" value="yes"> I direct Amazon to provide ${developer} with access to my Amazon seller account data and I authorize ${developer} to use it as described in its privacy policy.</label>
<p><button class="primary" type="submit" id="confirm" name="decision" value="confirm" disabled>Confirm</button><button class="secondary" type="submit" id="deny" name="decision" value="deny">Cancel</button></p>
</form>
<script>
(function(){var box=document.getElementById('consent-checkbox'),ok=document.getElementById('confirm');
function sync(){ok.disabled=!box.checked;}box.addEventListener('change',sync);sync();})();
</script>`,
  );
}

export interface ManageRow {
  readonly seller: TestSeller;
  readonly authorizedUntil: Date | undefined;
}

export function managePage(input: { mp: Marketplace; appName: string; action: string; formToken: string; rows: readonly ManageRow[] }): string {
  const rows = input.rows
    .map(({ seller, authorizedUntil }) => {
      const id = escapeHtml(seller.sellingPartnerId);
      const status = authorizedUntil ? `Authorized, expires ${authorizedUntil.toISOString().slice(0, 10)}` : 'Not authorized';
      return `<tr id="row-${id}"><td>${escapeHtml(seller.storeName)}<br><span class="muted">${id} · ${escapeHtml(marketplaceList(seller))}</span></td>
<td class="status">${status}</td>
<td><form method="post" action="${escapeHtml(input.action)}"><input type="hidden" name="form_token" value="${escapeHtml(input.formToken)}"><input type="hidden" name="selling_partner_id" value="${id}">
<button class="primary" type="submit" id="authorize-${id}">${authorizedUntil ? 'Re-Authorize' : 'Authorize'}</button></form></td></tr>`;
    })
    .join('');
  const table = rows
    ? `<table id="apps"><thead><tr><th>${escapeHtml(input.appName)} — selling account</th><th>Status</th><th></th></tr></thead><tbody>${rows}</tbody></table>`
    : `<p id="no-sellers">No sandbox seller sells on ${escapeHtml(input.mp.name)}. Sellers exist for US, CA, MX, UK, DE, FR, IT, ES and JP.</p>`;
  return layout(
    'Manage Your Apps',
    input.mp,
    `<h1>Manage Your Apps</h1><p class="muted">Authorized applications for sandbox sellers on ${escapeHtml(input.mp.name)}. Authorize / Re-Authorize starts the flow on Amazon's side: the app's Log-in URI is loaded first.</p>${table}`,
  );
}

export function indexPage(input: { sellers: readonly TestSeller[]; appName: string }): string {
  const rows = input.sellers
    .map((s) => {
      const links = s.marketplaces.map((code) => `<a href="/sellercentral/${code.toLowerCase()}/apps/manage">${escapeHtml(marketplace(code).name)}</a>`).join(', ');
      return `<tr><td><code>${escapeHtml(s.sellingPartnerId)}</code></td><td>${escapeHtml(s.storeName)}<br><span class="muted">${escapeHtml(s.description)}</span></td><td>${links}</td></tr>`;
    })
    .join('');
  return layout(
    'Amazon sandbox',
    undefined,
    `<h1>Amazon sandbox</h1><p>Stands in for Seller Central consent, the Log-in URI hop, the LWA token endpoint and the Sellers API for <strong>${escapeHtml(input.appName)}</strong>.
Start an authorization from the app, or open Manage Your Apps for a marketplace below.</p>
<table><thead><tr><th>selling_partner_id</th><th>Seller</th><th>Manage Your Apps</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}
