// Server health and the metrics summary (#/status), and the clients (#/clients): how far each installation's
// pulls are behind each table's head. Both read admin-gated JSON endpoints; a server without them says so.
import {call, problem} from './api.js';
import {h, fill, facts} from './dom.js';

function ago(iso) {
  if (!iso) return '—';
  const seconds = Math.round((Date.now() - Date.parse(iso)) / 1000);
  if (!Number.isFinite(seconds)) return iso;
  const text = seconds < 60 ? seconds + ' s' : seconds < 3600 ? Math.round(seconds / 60) + ' min'
    : seconds < 172800 ? Math.round(seconds / 3600) + ' h' : Math.round(seconds / 86400) + ' days';
  return h('time', {datetime: iso, title: iso}, text + ' ago');
}

function duration(seconds) {
  if (seconds == null) return '—';
  const d = Math.floor(seconds / 86400);
  const hours = Math.floor(seconds % 86400 / 3600);
  const m = Math.floor(seconds % 3600 / 60);
  return (d ? d + ' d ' : '') + (d || hours ? hours + ' h ' : '') + m + ' min';
}

function behind(millis) {
  if (millis == null) return '—';
  if (millis <= 0) return 'up to date';
  return millis < 1000 ? millis + ' ms behind' : millis < 120000 ? Math.round(millis / 1000) + ' s behind'
    : Math.round(millis / 60000) + ' min behind';
}

function unavailable(box, what, answer) {
  if (answer.status === 404) {
    fill(box, h('p', {class: 'hint'}, what + ' is not available on this server.'));
  } else {
    fill(box, h('p', {class: 'message error'}, what + ': ' + problem(answer)));
  }
}

export function showStatus(main) {
  const health = h('p', {id: 'health', role: 'status'}, 'Checking…');
  const box = h('div', {id: 'status', 'aria-busy': 'true'}, 'Loading…');
  fill(main, h('h2', null, 'Status'), health, box);
  call('GET', '/health').then((answer) => {
    const ok = answer.ok && answer.json && answer.json.status === 'ok';
    health.className = ok ? 'health ok' : 'health bad';
    health.textContent = ok ? 'Healthy: the database answers.' : 'Unhealthy: ' + problem(answer);
  });
  call('GET', '/outpost/v1/status').then((answer) => {
    box.removeAttribute('aria-busy');
    if (!answer.ok || !answer.json) {
      unavailable(box, 'The status summary', answer);
      return;
    }
    const s = answer.json;
    const installs = s.installations || {};
    const requests = s.requests || {};
    fill(box,
        h('section', {class: 'card', 'aria-labelledby': 'server-title'}, h('h3', {id: 'server-title'}, 'Server'),
            facts([['Status', s.status], ['Version', s.version], ['Database', s.database], ['Schema', s.schema],
              ['Up for', duration(s.uptimeSeconds)], ['Open event streams', s.eventStreams]])),
        h('section', {class: 'card', 'aria-labelledby': 'requests-title'}, h('h3', {id: 'requests-title'}, 'Requests'),
            facts([['Total', requests.total], ['Server errors (5xx)', requests.errors5xx],
              ['Latency p50', requests.p50Millis == null ? null : requests.p50Millis + ' ms'],
              ['Latency p99', requests.p99Millis == null ? null : requests.p99Millis + ' ms']])),
        h('section', {class: 'card', 'aria-labelledby': 'installs-title'},
            h('h3', {id: 'installs-title'}, 'Installations'),
            facts([['Known', installs.total], ['Active in the last 24 h', installs.active24h]]),
            h('p', null, h('a', {href: '#/clients'}, 'See the clients'))));
  });
  return null;
}

export function showClients(main) {
  const box = h('div', {id: 'clients', 'aria-busy': 'true'}, 'Loading…');
  fill(main, h('h2', null, 'Clients'), box);
  call('GET', '/outpost/v1/installations').then((answer) => {
    box.removeAttribute('aria-busy');
    if (!answer.ok || !answer.json) {
      unavailable(box, 'The clients view', answer);
      return;
    }
    const list = answer.json.installations || [];
    if (list.length === 0) {
      fill(box, h('p', {class: 'hint'}, 'No client has synced with this server yet.'));
      return;
    }
    fill(box, h('div', {class: 'scroll'}, h('table', {class: 'grid'},
        h('caption', {class: 'sr-only'}, 'Installations'),
        h('thead', null, h('tr', null, ['Installation', 'User', 'Protocol', 'Last seen', 'First seen', 'Queue',
          'Conflicts', 'Tables'].map((c) => h('th', {scope: 'col'}, c)))),
        h('tbody', null, list.map((i) => h('tr', null,
            h('th', {scope: 'row'}, h('code', null, i.id)), h('td', null, i.user || 'anonymous'),
            h('td', null, i.protocol || '—'), h('td', null, ago(i.lastSeen)), h('td', null, ago(i.firstSeen)),
            h('td', {class: 'num'}, i.queueDepth == null ? '—' : i.queueDepth),
            h('td', {class: 'num'}, i.conflicts == null ? '—' : i.conflicts),
            h('td', null, h('ul', {class: 'plain'}, (i.tables || []).map((t) => h('li', null,
                h('strong', null, t.table), ': ', behind(t.behindMillis)))))))))));
  });
  return null;
}
