// The management HTTP API under /api, with the credentials of the session (sessionStorage).
// Every failure becomes an ApiError whose message is the API's {"error","reason"} in words.

const KEY = 'warren.credentials';

export class ApiError extends Error {
  constructor(status, error, reason, retryAfterSeconds = 0) {
    super(reason ? `${reason} (${status} ${error})` : `${status} ${error}`);
    this.status = status;
    this.error = error;
    this.reason = reason;
    /** From Retry-After: how long to wait before asking again (a 429 after failed logins). */
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export function credentials() {
  const raw = sessionStorage.getItem(KEY);
  return raw ? JSON.parse(raw) : null;
}

export function saveCredentials(user, password) {
  sessionStorage.setItem(KEY, JSON.stringify({ user, password }));
}

export function forgetCredentials() {
  sessionStorage.removeItem(KEY);
}

function authorization(c) {
  const bytes = new TextEncoder().encode(`${c.user}:${c.password}`);
  let bin = '';
  bytes.forEach((b) => { bin += String.fromCharCode(b); });
  return 'Basic ' + btoa(bin);
}

/** Percent-encodes one path segment ('/' becomes %2F, the default vhost's spelling). */
export const seg = (s) => encodeURIComponent(s);

/**
 * One request. `body` is sent as JSON; `headers` are added. Resolves to the parsed JSON (or null for
 * an empty answer); rejects with ApiError. Credentials are sent explicitly and the browser is told
 * not to add its own (credentials: 'omit'), so a 401 never opens the browser's login prompt.
 */
export async function api(method, path, { body, headers = {}, creds = credentials() } = {}) {
  const h = { ...headers };
  if (creds) h.Authorization = authorization(creds);
  if (body !== undefined) h['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch('/api' + path, {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, 'network_error', `The broker cannot be reached: ${e.message}`);
  }
  const text = await res.text();
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch (e) {
      json = null;
    }
  }
  if (!res.ok) {
    const error = json && json.error ? json.error : res.statusText || 'error';
    const reason = json && json.reason ? String(json.reason) : '';
    throw new ApiError(res.status, error, reason, Number(res.headers.get('Retry-After')) || 0);
  }
  return json;
}

export const get = (path, opts) => api('GET', path, opts);
export const put = (path, body, opts) => api('PUT', path, { ...opts, body });
export const post = (path, body, opts) => api('POST', path, { ...opts, body });
export const del = (path, opts) => api('DELETE', path, opts);
