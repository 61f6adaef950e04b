// The tables list (#/tables) and one table's browser (#/table/<name>?filter=…&orderby=…&top=…&skip=…&deleted=1):
// the v3 list query with $filter, $orderby, $top/$skip and $count=true, deleted rows on demand, refreshed by the
// table's change events.
import {call, problem, query, tablePath} from './api.js';
import {h, fill, facts, say, unsay} from './dom.js';
import {watch} from './events.js';
import {openRecord} from './record.js';
import {SYSTEM, entry, overview, typeOf} from './schema.js';

const PAGE_SIZES = [10, 20, 50, 100];

function openByName() {
  const input = h('input', {id: 'table-name', name: 'table', required: true, pattern: '[A-Za-z][A-Za-z0-9_]{0,63}',
    autocomplete: 'off'});
  return h('form', {id: 'open-table', class: 'inline', onsubmit: (event) => {
    event.preventDefault();
    location.hash = '#/table/' + encodeURIComponent(input.value.trim());
  }}, h('label', {for: 'table-name'}, 'Open a table by name'), input, h('button', {type: 'submit'}, 'Open'));
}

function accessText(access) {
  if (!access) return '—';
  if (typeof access === 'string') return access;
  return Object.entries(access).map(([op, rule]) => op + ': ' + rule).join(', ');
}

export function showTables(main) {
  const list = h('div', {id: 'tables', 'aria-busy': 'true'}, 'Loading…');
  fill(main, h('h2', null, 'Tables'), openByName(), list);
  overview().then((tables) => {
    list.removeAttribute('aria-busy');
    if (tables === null) {
      fill(list, h('p', {class: 'hint'}, 'The tables overview is not available on this server: open a table by name.'));
      return;
    }
    if (tables.error) {
      fill(list, h('p', {class: 'message error'}, 'Tables: ' + tables.error));
      return;
    }
    const rows = tables.tables.map((t) => h('tr', null,
        h('th', {scope: 'row'}, h('a', {href: '#/table/' + encodeURIComponent(t.name)}, t.name)),
        h('td', null, t.declared ? 'declared' : 'dynamic'),
        h('td', {class: 'num'}, t.rows == null ? '—' : t.rows),
        h('td', null, (t.columns || []).filter((c) => !c.system).map((c) => c.name + ' (' + c.type + ')').join(', ')),
        h('td', null, accessText(t.access) + (t.perUser ? ' · per user' : ''))));
    fill(list,
        h('p', null, 'Schema: ', h('strong', null, tables.schema)),
        rows.length === 0 ? h('p', {class: 'hint'}, 'No tables yet.') : h('div', {class: 'scroll'},
          h('table', {class: 'grid'}, h('caption', {class: 'sr-only'}, 'Tables'),
              h('thead', null, h('tr', null, ['Table', 'Schema', 'Rows', 'Columns', 'Access'].map((c) =>
                h('th', {scope: 'col'}, c)))),
              h('tbody', null, rows))));
  });
  return null;
}

function cell(value) {
  if (value === null || value === undefined) return h('span', {class: 'null'}, '—');
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.length > 80 ? h('span', {title: text}, text.slice(0, 79) + '…') : text;
}

/** The columns to show: the overview's order when known, else in the order the rows name them. */
function columnsOf(info, items) {
  const user = [];
  const types = {};
  if (info && Array.isArray(info.columns)) {
    for (const c of info.columns) {
      if (!c.system && !SYSTEM.includes(c.name)) {
        user.push(c.name);
        types[c.name] = c.type;
      }
    }
  }
  for (const item of items) {
    for (const [key, value] of Object.entries(item)) {
      if (SYSTEM.includes(key)) continue;
      if (!user.includes(key)) user.push(key);
      if (!types[key] && value !== null) types[key] = typeOf(value);
    }
  }
  return {user, types};
}

export function showTable(main, name, params) {
  const state = {
    filter: params.get('filter') || '',
    orderby: params.get('orderby') || '',
    top: PAGE_SIZES.includes(Number(params.get('top'))) ? Number(params.get('top')) : 20,
    skip: Math.max(0, Number(params.get('skip')) || 0),
    deleted: params.get('deleted') === '1',
  };
  let info = null;
  let columns = {user: [], types: {}};
  let loading = false;
  let again = false;

  const live = h('span', {id: 'live', class: 'live off', role: 'status'}, 'Connecting…');
  const filter = h('input', {id: 'filter', name: 'filter', value: state.filter, autocomplete: 'off',
    placeholder: "complete eq false and startswith(text, 'b')", 'aria-describedby': 'filter-help'});
  const orderby = h('input', {id: 'orderby', name: 'orderby', value: state.orderby, autocomplete: 'off',
    placeholder: 'updatedAt desc'});
  const size = h('select', {id: 'page-size', name: 'top'},
      PAGE_SIZES.map((n) => h('option', {value: String(n), selected: n === state.top}, String(n))));
  const deleted = h('input', {id: 'include-deleted', name: 'deleted', type: 'checkbox', checked: state.deleted});
  const head = h('thead');
  const body = h('tbody', {id: 'rows'});
  const count = h('p', {id: 'count', class: 'count', 'aria-live': 'polite'});
  const prev = h('button', {type: 'button', id: 'prev', onclick: () => page(-1)}, '← Previous');
  const next = h('button', {type: 'button', id: 'next', onclick: () => page(1)}, 'Next →');
  const schemaBox = h('details', {id: 'schema', hidden: true});

  const form = h('form', {id: 'query', class: 'query', onsubmit: (event) => {
    event.preventDefault();
    state.filter = filter.value.trim();
    state.orderby = orderby.value.trim();
    state.top = Number(size.value);
    state.deleted = deleted.checked;
    state.skip = 0;
    load();
  }},
  h('div', {class: 'field wide'}, h('label', {for: 'filter'}, 'Filter ($filter)'), filter,
      h('small', {id: 'filter-help', class: 'hint'}, 'OData, as clients send it. Empty: every row.')),
  h('div', {class: 'field'}, h('label', {for: 'orderby'}, 'Order by ($orderby)'), orderby),
  h('div', {class: 'field small'}, h('label', {for: 'page-size'}, 'Rows per page'), size),
  h('div', {class: 'field check'}, deleted, h('label', {for: 'include-deleted'}, 'Show deleted rows')),
  h('div', {class: 'field'}, h('button', {type: 'submit', id: 'apply'}, 'Apply')));

  fill(main,
      h('div', {class: 'title'}, h('h2', {id: 'table-title'}, name), live,
          h('button', {type: 'button', id: 'new-record', onclick: () => edit(null)}, 'New record')),
      schemaBox, form,
      h('div', {class: 'scroll'}, h('table', {class: 'grid browse', 'aria-labelledby': 'table-title'}, head, body)),
      h('div', {class: 'pager'}, prev, count, next));

  function keepInAddress() {
    const q = new URLSearchParams();
    if (state.filter) q.set('filter', state.filter);
    if (state.orderby) q.set('orderby', state.orderby);
    if (state.top !== 20) q.set('top', String(state.top));
    if (state.skip) q.set('skip', String(state.skip));
    if (state.deleted) q.set('deleted', '1');
    const search = q.toString();
    history.replaceState(null, '', '#/table/' + encodeURIComponent(name) + (search ? '?' + search : ''));
  }

  function page(step) {
    state.skip = Math.max(0, state.skip + step * state.top);
    load();
  }

  function edit(item) {
    openRecord({table: name, id: item ? item.id : null, columns, onDone: load});
  }

  function render(items, total) {
    columns = columnsOf(info, items);
    const shown = ['id', ...columns.user, 'updatedAt'];
    fill(head, h('tr', null, shown.map((c) => h('th', {scope: 'col'}, c))));
    fill(body, items.map((item) => h('tr', {class: item.deleted ? 'deleted' : null, 'data-id': item.id},
        h('th', {scope: 'row'}, h('button', {type: 'button', class: 'link', onclick: () => edit(item),
          'aria-label': 'Open record ' + item.id}, item.id),
        item.deleted ? h('span', {class: 'tag'}, 'deleted') : null),
        columns.user.map((c) => h('td', {'data-column': c}, cell(item[c]))),
        h('td', {class: 'when'}, cell(item.updatedAt)))));
    if (items.length === 0) {
      fill(body, h('tr', null, h('td', {colspan: shown.length, class: 'hint'},
          state.skip ? 'No rows on this page.' : 'No rows match.')));
    }
    const first = items.length ? state.skip + 1 : 0;
    count.textContent = 'Rows ' + first + '–' + (state.skip + items.length) + ' of ' + total;
    prev.disabled = state.skip === 0;
    next.disabled = state.skip + items.length >= total;
  }

  async function load() {
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    keepInAddress();
    try {
      const answer = await call('GET', tablePath(name) + query([['$filter', state.filter],
        ['$orderby', state.orderby], ['$top', state.top], ['$skip', state.skip], ['$count', 'true'],
        ['__includedeleted', state.deleted ? 'true' : '']]));
      if (answer.ok) {
        unsay('query');
        render(answer.json.items || [], answer.json.count == null ? 0 : answer.json.count);
      } else if (answer.status !== 401) {
        say('The query was refused: ' + problem(answer), 'error', 'query');
      }
    } catch (e) {
      say('The server cannot be reached: ' + e.message);
    } finally {
      loading = false;
    }
    if (again) {
      again = false;
      load();
    }
  }

  function describe(found) {
    if (found === null || found.error) return;
    info = entry(found, name);
    if (!info) return;
    schemaBox.hidden = false;
    fill(schemaBox, h('summary', null, 'Schema and access'), facts([
      ['Schema', info.declared ? 'declared' : 'dynamic'],
      ['Soft delete', info.softDelete === false ? 'no' : 'yes'],
      ['Access', accessText(info.access)],
      ['Rows visible per user', info.perUser ? 'yes' + (info.ownerColumn ? ' (' + info.ownerColumn + ')' : '') : 'no'],
      ['Columns', (info.columns || []).map((c) => c.name + ' ' + c.type + (c.system ? ' (system)' : '')).join(', ')],
    ]));
  }

  overview().then(describe).finally(load);
  const stop = watch(name, {
    onChange: () => load(),
    onState: (kind, text) => {
      live.className = 'live ' + kind;
      live.textContent = text;
    },
  });
  return stop;
}
