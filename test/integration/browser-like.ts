/**
 * A tiny browser for the integration tests: follows redirects one hop at a time (so every hop
 * can be inspected), keeps cookies the way a browser does (host-only, path-scoped, Max-Age /
 * Expires, Secure allowed on loopback as browsers treat it as a secure context), and submits
 * HTML forms by clicking a named button. It records every URL it visits.
 */

export interface Hop {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly location?: string;
}

export interface Page {
  readonly url: string;
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** Every request made to reach this page, the last one included. */
  readonly hops: readonly Hop[];
}

interface Cookie {
  name: string;
  value: string;
  host: string;
  path: string;
  expiresAt?: number;
  secure: boolean;
  httpOnly: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const MAX_REDIRECTS = 20;

export interface BrowserLikeOptions {
  /** A URL the browser does not request: the page returned for it has status 0 and no body (the bench replays it later). */
  readonly stopBefore?: (url: URL) => boolean;
}

export class BrowserLike {
  private cookies: Cookie[] = [];
  /** Every URL requested, in order. */
  readonly visited: string[] = [];

  constructor(private readonly options: BrowserLikeOptions = {}) {}

  async goto(url: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Page> {
    const hops: Hop[] = [];
    let method = init.method ?? 'GET';
    let body = init.body;
    let headers = init.headers ?? {};
    let current = url;
    for (let i = 0; i <= MAX_REDIRECTS; i++) {
      const target = new URL(current);
      if (this.options.stopBefore?.(target)) return { url: target.href, status: 0, headers: new Headers(), text: '', hops };
      this.visited.push(target.href);
      const cookieHeader = this.cookieHeaderFor(target);
      const response = await fetch(target, {
        method,
        body,
        redirect: 'manual',
        headers: { accept: 'text/html,application/json', 'user-agent': 'browser-like/1', ...headers, ...(cookieHeader ? { cookie: cookieHeader } : {}) },
      });
      for (const line of response.headers.getSetCookie()) this.store(target, line);
      const location = response.headers.get('location') ?? undefined;
      hops.push({ method, url: target.href, status: response.status, ...(location ? { location: new URL(location, target).href } : {}) });
      if (response.status >= 300 && response.status < 400 && location) {
        await response.arrayBuffer();
        current = new URL(location, target).href;
        if (response.status !== 307 && response.status !== 308) {
          method = 'GET';
          body = undefined;
          headers = {};
        }
        continue;
      }
      return { url: target.href, status: response.status, headers: response.headers, text: await response.text(), hops };
    }
    throw new Error(`More than ${MAX_REDIRECTS} redirects from ${url}`);
  }

  /**
   * Submits the form holding `button` (its id, or its text) as a browser would after the user
   * ticked `check` (checkbox names) and picked `select` values.
   */
  async submit(page: Page, options: { button: string; check?: readonly string[]; select?: Record<string, string> }): Promise<Page> {
    const form = parseForms(page.text).find((f) => f.buttons.some((b) => matchesButton(b, options.button)));
    if (!form) throw new Error(`No form with a button "${options.button}" on ${page.url} (status ${page.status}):\n${page.text.slice(0, 2000)}`);
    const button = form.buttons.find((b) => matchesButton(b, options.button)) as FormButton;
    const fields = new URLSearchParams();
    for (const input of form.inputs) {
      if (input.type === 'checkbox' || input.type === 'radio') {
        if (input.checked || options.check?.includes(input.name)) fields.append(input.name, input.value ?? 'on');
      } else if (input.type !== 'submit' && input.type !== 'button') {
        fields.append(input.name, input.value ?? '');
      }
    }
    for (const select of form.selects) {
      const picked = options.select?.[select.name] ?? select.selected;
      if (picked !== undefined) fields.append(select.name, picked);
    }
    if (button.name) fields.append(button.name, button.value ?? '');
    const action = new URL(form.action || page.url, page.url).href;
    if (form.method === 'post') {
      return this.goto(action, { method: 'POST', body: fields.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(page.url).origin } });
    }
    const target = new URL(action);
    target.search = fields.toString();
    return this.goto(target.href);
  }

  /** Names of the cookies the jar would send to `url`. */
  cookieNamesFor(url: string): string[] {
    return this.matching(new URL(url)).map((c) => c.name);
  }

  /** The `Cookie` header the jar would send to `url`. */
  cookieHeader(url: string): string {
    return this.cookieHeaderFor(new URL(url));
  }

  private cookieHeaderFor(url: URL): string {
    return this.matching(url)
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  private matching(url: URL): Cookie[] {
    const now = Date.now();
    this.cookies = this.cookies.filter((c) => c.expiresAt === undefined || c.expiresAt > now);
    const secureContext = url.protocol === 'https:' || LOOPBACK.has(url.hostname);
    return this.cookies
      .filter((c) => c.host === url.hostname && pathMatches(url.pathname, c.path) && (!c.secure || secureContext))
      .sort((a, b) => b.path.length - a.path.length);
  }

  private store(url: URL, line: string): void {
    const [pair = '', ...attributes] = line.split(';').map((s) => s.trim());
    const eq = pair.indexOf('=');
    if (eq < 1) return;
    const cookie: Cookie = { name: pair.slice(0, eq), value: pair.slice(eq + 1), host: url.hostname, path: defaultPath(url.pathname), secure: false, httpOnly: false };
    for (const attribute of attributes) {
      const [rawName = '', ...rest] = attribute.split('=');
      const name = rawName.toLowerCase();
      const value = rest.join('=');
      if (name === 'path' && value.startsWith('/')) cookie.path = value;
      else if (name === 'max-age') cookie.expiresAt = Date.now() + Number(value) * 1000;
      else if (name === 'expires' && cookie.expiresAt === undefined) cookie.expiresAt = Date.parse(value);
      else if (name === 'secure') cookie.secure = true;
      else if (name === 'httponly') cookie.httpOnly = true;
      else if (name === 'domain' && value.replace(/^\./, '') !== url.hostname) return;
    }
    this.cookies = this.cookies.filter((c) => !(c.name === cookie.name && c.host === cookie.host && c.path === cookie.path));
    if (cookie.expiresAt === undefined || cookie.expiresAt > Date.now()) this.cookies.push(cookie);
  }
}

function defaultPath(path: string): string {
  const last = path.lastIndexOf('/');
  return last <= 0 ? '/' : path.slice(0, last);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

interface FormInput {
  readonly type: string;
  readonly name: string;
  readonly value?: string;
  readonly checked: boolean;
}

interface FormButton {
  readonly id?: string;
  readonly name?: string;
  readonly value?: string;
  readonly text: string;
}

interface Form {
  readonly method: string;
  readonly action: string;
  readonly inputs: FormInput[];
  readonly selects: { name: string; selected?: string }[];
  readonly buttons: FormButton[];
}

function matchesButton(button: FormButton, wanted: string): boolean {
  return wanted.startsWith('#') ? button.id === wanted.slice(1) : button.text === wanted;
}

function decode(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function attributes(tag: string): Record<string, string> {
  const result: Record<string, string> = {};
  const body = tag.replace(/^<\w+/, '').replace(/\/?>$/, '');
  for (const m of body.matchAll(/([\w:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
    result[(m[1] as string).toLowerCase()] = decode(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return result;
}

/** Just enough HTML form parsing for server-rendered pages. */
export function parseForms(html: string): Form[] {
  const forms: Form[] = [];
  for (const m of html.matchAll(/<form\b[^>]*>([\s\S]*?)<\/form>/gi)) {
    const formTag = attributes((m[0].match(/^<form\b[^>]*>/i) as RegExpMatchArray)[0]);
    const inner = m[1] as string;
    const inputs: FormInput[] = [];
    for (const t of inner.matchAll(/<input\b[^>]*>/gi)) {
      const a = attributes(t[0]);
      if (a.name && a.disabled === undefined) inputs.push({ type: (a.type ?? 'text').toLowerCase(), name: a.name, value: a.value, checked: a.checked !== undefined });
    }
    const selects: { name: string; selected?: string }[] = [];
    for (const s of inner.matchAll(/<select\b[^>]*>([\s\S]*?)<\/select>/gi)) {
      const a = attributes((s[0].match(/^<select\b[^>]*>/i) as RegExpMatchArray)[0]);
      const options = [...(s[1] as string).matchAll(/<option\b[^>]*>/gi)].map((o) => attributes(o[0]));
      const selected = options.find((o) => o.selected !== undefined) ?? options[0];
      if (a.name) selects.push({ name: a.name, selected: selected?.value });
    }
    const buttons: FormButton[] = [];
    for (const b of inner.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/gi)) {
      const a = attributes(`<button${b[1]}>`);
      buttons.push({ id: a.id, name: a.name, value: a.value, text: decode((b[2] as string).replace(/<[^>]+>/g, '').trim()) });
    }
    forms.push({ method: (formTag.method ?? 'get').toLowerCase(), action: formTag.action ?? '', inputs, selects, buttons });
  }
  return forms;
}

/**
 * What the frontend's completion page does when the service's callback lands on it
 * (`…#completion={handle}`): POST the handle with the signed-in seller's JWT, answer a flow
 * started on Amazon with `decision` (Connect by default), and open the outcome page it names.
 * Any other page is returned as it is.
 */
export async function finishOnCompletionPage(browser: BrowserLike, page: Page, token: string, decision: 'confirm' | 'cancel' = 'confirm'): Promise<Page> {
  const url = new URL(page.url);
  const handle = new URLSearchParams(url.hash.slice(1)).get('completion');
  if (!handle) return page;
  const post = async (body: Record<string, string>) => {
    const response = await fetch(`${url.origin}/v1/amazon/authorization-completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await response.json()) as { amazonAuthorization?: string; redirectUrl?: string; error?: { details?: { redirectUrl?: string } } };
  };
  let answer = await post({ completion: handle });
  if (answer.amazonAuthorization === 'confirm') answer = await post({ completion: handle, decision });
  const next = answer.redirectUrl ?? answer.error?.details?.redirectUrl;
  if (!next) throw new Error(`The completion named no outcome page: ${JSON.stringify(answer)}`);
  const landing = await browser.goto(next);
  return { ...landing, hops: [...page.hops, ...landing.hops] };
}
