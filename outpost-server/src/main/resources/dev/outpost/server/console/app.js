// The console's entry point: who may use it (the session check and the sign-in form), and the views by hash:
// #/tables, #/table/<name>?…, #/status, #/clients.
import {call, problem, token} from './api.js';
import {h, fill, say} from './dom.js';
import {showTables, showTable} from './tables.js';
import {showStatus, showClients} from './status.js';

const main = document.getElementById('main');
const who = document.getElementById('who');
const signOut = document.getElementById('sign-out');
let leaveView = null;
let session = null;

function leave() {
  if (leaveView) leaveView();
  leaveView = null;
}

function showSignIn(reason) {
  leave();
  session = null;
  who.textContent = '';
  signOut.hidden = true;
  const input = h('input', {id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true,
    'aria-describedby': 'token-help'});
  const form = h('form', {id: 'sign-in', class: 'card narrow', onsubmit: (event) => {
    event.preventDefault();
    token.set(input.value.trim());
    start();
  }},
  h('h2', null, 'Sign in'),
  reason ? h('p', {id: 'sign-in-problem', class: 'message error', role: 'alert'}, reason) : null,
  h('label', {for: 'token'}, 'Token with the role admin'),
  input,
  h('p', {id: 'token-help', class: 'hint'}, 'Make one with ',
      h('code', null, 'outpost token --user NAME --roles admin'),
    '. It is kept for this tab only (session storage) and sent with every call.'),
  h('button', {type: 'submit'}, 'Sign in'));
  fill(main, form);
  input.focus();
}

function refused(answer) {
  const held = token.get();
  if (answer.status === 403 && held) {
    return 'Refused: this token does not have the role admin, which the console needs (' + problem(answer) + ').';
  }
  if (answer.status === 401 && held) return 'Refused: the token was not accepted (' + problem(answer) + ').';
  if (answer.status === 401) return null;
  return 'Refused: ' + problem(answer);
}

async function start() {
  say('');
  let answer;
  try {
    answer = await call('GET', '/console/session');
  } catch (e) {
    fill(main, h('p', {class: 'message error', role: 'alert'}, 'The server cannot be reached: ' + e.message));
    return;
  }
  if (!answer.ok) {
    showSignIn(refused(answer));
    return;
  }
  session = answer.json;
  who.textContent = session.user ? 'Signed in as ' + session.user : 'This machine (no sign-in configured)';
  signOut.hidden = !session.identity;
  route();
}

function route() {
  if (!session) return;
  leave();
  say('');
  const hash = location.hash || '#/tables';
  const [path, search] = hash.slice(1).split('?');
  const params = new URLSearchParams(search || '');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  for (const link of document.querySelectorAll('nav a')) {
    const current = link.getAttribute('href') === '#/' + (parts[0] === 'table' ? 'tables' : parts[0]);
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (parts[0] === 'table' && parts[1]) leaveView = showTable(main, parts[1], params);
  else if (parts[0] === 'status') leaveView = showStatus(main);
  else if (parts[0] === 'clients') leaveView = showClients(main);
  else leaveView = showTables(main);
}

signOut.addEventListener('click', () => {
  token.clear();
  showSignIn(null);
});
window.addEventListener('hashchange', route);
window.addEventListener('outpost:unauthorized', (event) => {
  if (session && session.identity) showSignIn(refused(event.detail));
});
start();
