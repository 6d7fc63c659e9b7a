// The console's shell: log-in, the session's user and tags, the vhost choice, the hash router and
// the 5 s refresh of the page shown. Pages live in pages/*.js and use only the API under /api.

import { get, credentials, saveCredentials, forgetCredentials, ApiError } from './api.js';
import { h, clearFlash, flash } from './ui.js';
import { overviewPage } from './pages/overview.js';
import { queuesPage, queuePage } from './pages/queues.js';
import { exchangesPage, exchangePage } from './pages/exchanges.js';
import { connectionsPage, connectionPage, channelsPage, consumersPage } from './pages/connections.js';
import { usersPage, vhostsPage, policiesPage, definitionsPage } from './pages/admin.js';

const REFRESH_MS = 5000;

/**
 * What the user may see and do, from its tags as RabbitMQ's console reads them: administrator
 * everything; monitoring sees every vhost but changes nothing here; policymaker also policies;
 * management its own vhosts.
 */
export const session = {
  user: null,
  tags: [],
  get admin() { return this.tags.includes('administrator'); },
  get policymaker() { return this.admin || this.tags.includes('policymaker'); },
  get monitoring() { return this.admin || this.tags.includes('monitoring'); },
  /** Whether forms that change the broker are shown. */
  get canChange() { return this.admin || !this.tags.includes('monitoring'); },
  vhost: '',
  vhosts: [],
};

const routes = [
  [/^\/$/, () => overviewPage()],
  [/^\/queues$/, () => queuesPage()],
  [/^\/queues\/([^/]+)\/(.*)$/, (v, n) => queuePage(v, n)],
  [/^\/exchanges$/, () => exchangesPage()],
  [/^\/exchanges\/([^/]+)\/(.*)$/, (v, n) => exchangePage(v, n)],
  [/^\/connections$/, () => connectionsPage()],
  [/^\/connections\/(.+)$/, (n) => connectionPage(n)],
  [/^\/channels$/, () => channelsPage()],
  [/^\/consumers$/, () => consumersPage()],
  [/^\/users$/, () => usersPage()],
  [/^\/vhosts$/, () => vhostsPage()],
  [/^\/policies$/, () => policiesPage()],
  [/^\/definitions$/, () => definitionsPage()],
];

let current = null; // {refresh, stop}
let timer = null;

/** Link to a page: parts are encoded so that any name (slashes, spaces) survives. */
export function href(...parts) {
  return '#/' + parts.map((p, i) => (i === 0 ? p : encodeURIComponent(p))).join('/');
}

async function show() {
  const view = document.getElementById('view');
  if (!session.user) return;
  clearInterval(timer);
  if (current && current.stop) current.stop();
  current = null;
  clearFlash();
  const path = (location.hash || '#/').slice(1) || '/';
  for (const a of document.querySelectorAll('#nav a')) {
    const target = a.getAttribute('href').slice(1);
    const here = target === '/' ? path === '/' : path === target || path.startsWith(target + '/');
    if (here) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  for (const [re, page] of routes) {
    const m = path.match(re);
    if (!m) continue;
    const args = m.slice(1).map(decodeURIComponent);
    view.replaceChildren(h('p', { class: 'loading' }, 'Loading…'));
    try {
      const p = await page(...args);
      view.replaceChildren(p.el);
      current = p;
      if (p.mount) p.mount();
      if (p.refresh) {
        await p.refresh();
        timer = setInterval(() => p.refresh().catch((e) => flash(e.message)), REFRESH_MS);
      }
    } catch (e) {
      view.replaceChildren(h('section', { class: 'panel' }, h('h1', {}, 'Cannot show this page'), h('p', { class: 'error', role: 'alert' }, e.message)));
      if (e instanceof ApiError && e.status === 401 && !(await stillValid())) logout();
    }
    return;
  }
  view.replaceChildren(h('section', { class: 'panel' }, h('h1', {}, 'Not found'), h('p', {}, 'No page has this address. '), h('a', { href: '#/' }, 'Overview')));
}

async function stillValid() {
  try { await get('/whoami'); return true; } catch (e) { return false; }
}

/** Fills the vhost choice from the vhosts the user sees. */
export async function loadVhosts() {
  const list = await get('/vhosts?columns=name');
  session.vhosts = list.map((v) => v.name);
  const sel = document.getElementById('vhost-select');
  sel.replaceChildren(h('option', { value: '' }, 'All'), ...session.vhosts.map((v) => h('option', { value: v, selected: v === session.vhost }, v)));
}

async function start(user) {
  session.user = user.name;
  session.tags = Array.isArray(user.tags) ? user.tags : String(user.tags || '').split(',').filter(Boolean);
  document.getElementById('whoami').textContent = `${user.name} (${session.tags.join(', ') || 'no tags'})`;
  document.getElementById('nav').hidden = false;
  document.getElementById('session').hidden = false;
  for (const li of document.querySelectorAll('#nav [data-needs]')) {
    li.hidden = !session[li.dataset.needs];
  }
  document.body.dataset.canChange = String(session.canChange);
  try { await loadVhosts(); } catch (e) { flash(e.message); }
  await show();
}

function logout() {
  forgetCredentials();
  clearInterval(timer);
  if (current && current.stop) current.stop();
  current = null;
  session.user = null;
  session.tags = [];
  document.getElementById('nav').hidden = true;
  document.getElementById('session').hidden = true;
  loginView();
}

function loginView(message) {
  const status = h('p', { class: 'form-status error', role: 'alert', id: 'login-error' }, message || '');
  const user = h('input', { id: 'login-user', name: 'username', autocomplete: 'username', required: true });
  const pass = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const f = h('form', { id: 'login', class: 'stack login' },
    h('h1', {}, 'Log in'),
    h('div', { class: 'row' }, h('label', { for: 'login-user' }, 'Username'), user),
    h('div', { class: 'row' }, h('label', { for: 'login-password' }, 'Password'), pass),
    h('div', { class: 'row actions' }, h('button', { type: 'submit' }, 'Log in')),
    status);
  f.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    status.textContent = '';
    const creds = { user: user.value, password: pass.value };
    try {
      const me = await whoamiWaitingOutTheLoginDelay(creds, status);
      saveCredentials(creds.user, creds.password);
      await start(me);
    } catch (e) {
      status.textContent = e.status === 401 ? `Login failed: ${e.reason || e.error}` : e.message;
    }
  });
  document.getElementById('view').replaceChildren(f);
  user.focus();
}

/**
 * Checks the credentials. After a failed login the broker holds the address off for a moment (429
 * with Retry-After); the check then waits that long and asks again, a few times, so that a right
 * password typed at once after a wrong one logs in instead of being refused.
 */
async function whoamiWaitingOutTheLoginDelay(creds, status) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await get('/whoami', { creds });
    } catch (e) {
      if (e.status !== 429 || attempt >= 5) throw e;
      status.textContent = `Checking again in ${e.retryAfterSeconds} s, after a failed login…`;
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, e.retryAfterSeconds) * 1000));
      status.textContent = '';
    }
  }
}

async function boot() {
  document.getElementById('logout').addEventListener('click', logout);
  document.getElementById('vhost-select').addEventListener('change', (ev) => {
    session.vhost = ev.target.value;
    show();
  });
  window.addEventListener('hashchange', show);
  if (!credentials()) { loginView(); return; }
  try {
    await start(await get('/whoami'));
  } catch (e) {
    forgetCredentials();
    loginView(e.status === 401 ? '' : e.message);
  }
}

boot();
