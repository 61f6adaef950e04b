// One record in a dialog: view, insert, edit (PUT with If-Match), soft-delete (DELETE with If-Match) and
// undelete (POST with If-Match). A stale version (412) shows both versions, the operator's and the server's (the
// 412 body), and lets the operator take the server's or overwrite it.
import {call, problem, tablePath} from './api.js';
import {h, fill, facts, say} from './dom.js';
import {SYSTEM, typeOf} from './schema.js';

function input(column, type, value) {
  const id = 'field-' + column;
  if (type === 'boolean') {
    return h('div', {class: 'field check'}, h('input', {id, name: column, type: 'checkbox', checked: value === true}),
        h('label', {for: id}, column));
  }
  const text = value === null || value === undefined ? '' : type === 'json' ? JSON.stringify(value, null, 2)
    : String(value);
  const control = type === 'json'
    ? h('textarea', {id, name: column, rows: 3, value: text})
    : h('input', {id, name: column, value: text, autocomplete: 'off',
      type: type === 'number' || type === 'integer' ? 'number' : 'text',
      step: type === 'integer' ? '1' : type === 'number' ? 'any' : null});
  return h('div', {class: 'field'}, h('label', {for: id}, column + ' ', h('small', {class: 'hint'}, type)), control);
}

function readField(form, column, type, original) {
  const control = form.elements.namedItem(column);
  if (type === 'boolean') return control.checked;
  const text = control.value;
  if (text === '') return original === null || original === undefined || type !== 'string' ? null : '';
  if (type === 'number' || type === 'integer') return Number(text);
  if (type === 'json') return JSON.parse(text);
  return text;
}

function show(value) {
  if (value === undefined) return '(absent)';
  return JSON.stringify(value);
}

/** Opens the dialog for record `id` of `table` (null: a new record). `onDone` runs after every change. */
export async function openRecord({table, id, columns, onDone}) {
  let record = null;
  if (id !== null) {
    const answer = await call('GET', tablePath(table, id) + '?__includedeleted=true');
    if (!answer.ok) {
      say('Record ' + id + ': ' + problem(answer));
      return;
    }
    record = answer.json;
  }
  const names = [...columns.user];
  const types = Object.assign({}, columns.types);
  if (record) {
    for (const [key, value] of Object.entries(record)) {
      if (SYSTEM.includes(key) || names.includes(key)) continue;
      names.push(key);
      types[key] = typeOf(value);
    }
  }
  for (const name of names) types[name] = types[name] || 'string';

  const heading = h('h2', {id: 'record-title', tabindex: '-1'});
  const info = h('div', {id: 'record-info'});
  const fields = h('div', {class: 'fields'});
  const extra = h('textarea', {id: 'extra', name: 'extra', rows: 2, placeholder: '{"newColumn": "value"}'});
  const newId = h('input', {id: 'new-id', name: 'newId', autocomplete: 'off',
    placeholder: 'empty: the server picks one'});
  const note = h('p', {id: 'record-message', class: 'message', role: 'alert', hidden: true});
  const conflict = h('section', {id: 'conflict', class: 'conflict', hidden: true, 'aria-labelledby': 'conflict-title'});
  const actions = h('div', {class: 'actions'});
  const form = h('form', {id: 'record-form', onsubmit: (event) => {
    event.preventDefault();
    save();
  }}, conflict, info, fields,
  h('details', null, h('summary', null, 'Other fields (JSON)'),
      h('label', {for: 'extra'}, 'Fields to add or set, as a JSON object'), extra),
  note, actions);
  const dialog = h('dialog', {id: 'record', 'aria-labelledby': 'record-title'}, heading, form);
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);

  function tell(text, kind) {
    note.hidden = !text;
    note.className = 'message ' + (kind || 'error');
    note.textContent = text || '';
  }

  function render() {
    conflict.hidden = true;
    heading.textContent = record ? 'Record ' + record.id : 'New record in ' + table;
    fill(info, record ? facts([['id', record.id], ['createdAt', record.createdAt], ['updatedAt', record.updatedAt],
      ['version', record.version], ['deleted', record.deleted ? 'yes' : 'no']]) : h('div', {class: 'field'},
      h('label', {for: 'new-id'}, 'id'), newId));
    fill(fields, names.map((name) => input(name, types[name], record ? record[name] : null)));
    const close = h('button', {type: 'button', id: 'close', onclick: () => dialog.close()}, 'Close');
    if (record && record.deleted) {
      fill(actions, h('button', {type: 'button', id: 'undelete', onclick: () => undelete(record.version)}, 'Undelete'),
          close);
    } else {
      fill(actions, h('button', {type: 'submit', id: 'save', class: 'primary'}, record ? 'Save' : 'Insert'),
          record ? h('button', {type: 'button', id: 'delete', class: 'danger', onclick: () => remove(record.version)},
            'Delete') : null, close);
    }
  }

  function mine() {
    const body = {};
    for (const name of names) body[name] = readField(form, name, types[name], record ? record[name] : null);
    if (extra.value.trim()) Object.assign(body, JSON.parse(extra.value));
    return body;
  }

  function finish(text) {
    dialog.close();
    say(text, 'ok');
    onDone();
  }

  async function save() {
    let body;
    try {
      body = mine();
    } catch (e) {
      tell('Not valid JSON: ' + e.message);
      return;
    }
    if (!record) {
      if (newId.value.trim()) body.id = newId.value.trim();
      const answer = await call('POST', tablePath(table), {body});
      if (answer.ok) finish('Inserted ' + answer.json.id + '.');
      else if (answer.status === 409) tell('A record with this id exists already.');
      else tell('Not inserted: ' + problem(answer));
      return;
    }
    await put(body, record.version);
  }

  async function put(body, version) {
    body.id = record.id;
    const answer = await call('PUT', tablePath(table, record.id), {body, ifMatch: version});
    if (answer.ok) finish('Saved ' + record.id + '.');
    else if (answer.status === 412) showConflict(body, answer.json, 'Overwrite with mine', () => put(body,
        answer.json.version));
    else if (answer.status === 410) tell('This record was deleted on the server meanwhile: undelete it first.');
    else tell('Not saved: ' + problem(answer));
  }

  async function remove(version) {
    const answer = await call('DELETE', tablePath(table, record.id), {ifMatch: version});
    if (answer.ok) finish('Deleted ' + record.id + '.');
    else if (answer.status === 412) showConflict(record, answer.json, 'Delete anyway', () => remove(
        answer.json.version));
    else tell('Not deleted: ' + problem(answer));
  }

  async function undelete(version) {
    const answer = await call('POST', tablePath(table, record.id), {ifMatch: version});
    if (answer.ok) finish('Restored ' + record.id + '.');
    else if (answer.status === 412) showConflict(record, answer.json, 'Undelete anyway', () => undelete(
        answer.json.version));
    else tell('Not restored: ' + problem(answer));
  }

  function showConflict(yours, server, overwriteLabel, overwrite) {
    tell('');
    const shown = [...new Set([...names, ...Object.keys(server).filter((k) => !SYSTEM.includes(k)),
      'updatedAt', 'version', 'deleted'])];
    const rows = shown.map((name) => {
      const a = name === 'version' ? record.version : name === 'updatedAt' || name === 'deleted' ? record[name]
        : yours[name];
      const differs = JSON.stringify(a) !== JSON.stringify(server[name]);
      return h('tr', {class: differs ? 'differs' : null}, h('th', {scope: 'row'}, name),
          h('td', {class: 'yours'}, show(a)), h('td', {class: 'theirs'}, show(server[name])),
          h('td', null, differs ? 'differs' : ''));
    });
    fill(conflict,
        h('h3', {id: 'conflict-title', tabindex: '-1'}, 'Conflict: the record changed on the server'),
        h('p', null, 'Someone changed this record after you opened it (your version ', h('code', null, record.version),
            ', the server\'s ', h('code', null, server.version), '). Nothing was written.'),
        h('div', {class: 'scroll'}, h('table', {class: 'grid compare'},
            h('thead', null, h('tr', null, h('th', {scope: 'col'}, 'Field'), h('th', {scope: 'col'}, 'Yours'),
                h('th', {scope: 'col'}, 'Server\'s'),
                h('th', {scope: 'col'}, h('span', {class: 'sr-only'}, 'Differs')))),
            h('tbody', null, rows))),
        h('div', {class: 'actions'},
            h('button', {type: 'button', id: 'take-server', onclick: () => {
              record = server;
              render();
              tell('Showing the server\'s version.', 'ok');
              onDone();
            }}, 'Take the server\'s'),
            h('button', {type: 'button', id: 'overwrite', class: 'danger', onclick: overwrite}, overwriteLabel)));
    conflict.hidden = false;
    conflict.querySelector('h3').focus({preventScroll: true});
    dialog.scrollTop = 0;
  }

  render();
  dialog.showModal();
  heading.focus();
}
