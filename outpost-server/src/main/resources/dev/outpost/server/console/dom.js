// A small element builder: h('button', {type: 'button', onclick: f}, 'Save'). Text is always set as text, never
// parsed as HTML, so record contents cannot inject markup.
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value == null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'value' || key === 'checked') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** Replaces the contents of `el`. */
export function fill(el, ...children) {
  el.replaceChildren();
  for (const child of children.flat(Infinity)) {
    if (child != null && child !== false) el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** A definition list from [term, value] pairs. */
export function facts(pairs, props) {
  return h('dl', Object.assign({class: 'facts'}, props), pairs.map(([term, value]) => [h('dt', null, term),
    h('dd', null, value == null || value === '' ? '—' : value)]));
}

/**
 * Shows (or, with no text, hides) the page's message line; kind is 'error' (default) or 'ok'; `from` names what
 * said it, so that only the same source takes it back (see `unsay`).
 */
export function say(text, kind, from) {
  const message = document.getElementById('message');
  message.dataset.from = from || '';
  message.hidden = !text;
  message.className = 'message ' + (kind || 'error');
  message.textContent = text || '';
}

/** Hides the message line if `from` said it. */
export function unsay(from) {
  if (document.getElementById('message').dataset.from === from) say('');
}
