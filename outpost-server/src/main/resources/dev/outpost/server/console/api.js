// Every call the console makes: the public table API (v3) and the admin-gated operator endpoints, with the tab's
// token. Answers are values ({status, ok, json, etag}); only a network failure throws.
const TOKEN_KEY = 'outpost.console.token';

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (value) => sessionStorage.setItem(TOKEN_KEY, value),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** The headers every call carries: the table protocol's version and, when the tab holds one, the token. */
export function headers(extra) {
  const all = Object.assign({'ZUMO-API-VERSION': '3.0.0', 'Accept': 'application/json'}, extra);
  const held = token.get();
  if (held) all.Authorization = 'Bearer ' + held;
  return all;
}

export async function call(method, path, {body, ifMatch} = {}) {
  const extra = {};
  if (body !== undefined) extra['Content-Type'] = 'application/json';
  if (ifMatch) extra['If-Match'] = '"' + ifMatch + '"';
  const response = await fetch(path, {
    method, headers: headers(extra), cache: 'no-store',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  const answer = {status: response.status, ok: response.ok, json, etag: response.headers.get('ETag')};
  if (response.status === 401) {
    window.dispatchEvent(new CustomEvent('outpost:unauthorized', {detail: answer}));
  }
  return answer;
}

/** The error body's message, or a line naming the status. */
export function problem(answer) {
  if (answer.json && typeof answer.json.error === 'string') return answer.json.error;
  return 'the server answered ' + answer.status;
}

/** A query string from pairs, keys kept literally ($filter), values encoded; empty values left out. */
export function query(pairs) {
  const parts = [];
  for (const [key, value] of pairs) {
    if (value === undefined || value === null || value === '') continue;
    parts.push(key + '=' + encodeURIComponent(value));
  }
  return parts.length ? '?' + parts.join('&') : '';
}

export function tablePath(table, id) {
  return '/tables/' + encodeURIComponent(table) + (id === undefined ? '' : '/' + encodeURIComponent(id));
}
