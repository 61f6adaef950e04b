// The change events of one table, read with fetch() so that the token can be sent (EventSource sends no headers).
// Reconnects with Last-Event-ID, backing off up to 15 s. onChange runs on `change` and `resync`, and on a
// stream that starts afresh (it cannot know what was missed).
import {headers} from './api.js';

export function watch(table, {onChange, onState}) {
  let lastId = null;
  let stopped = false;
  let controller = null;
  let delay = 1000;

  function dispatch(block) {
    let event = 'message';
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data += value;
      else if (field === 'id') lastId = value;
    }
    let parsed = null;
    try {
      parsed = data ? JSON.parse(data) : null;
    } catch (e) {
      parsed = null;
    }
    if (event === 'ready') {
      onState('live', 'Live');
      if (!parsed || !parsed.resumed) onChange(event);
    } else if (event === 'change' || event === 'resync') {
      onChange(event);
    }
  }

  async function read(response) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const {value, done} = await reader.read();
      if (done) return;
      buffer = (buffer + value).replace(/\r\n?/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        dispatch(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
  }

  async function run() {
    while (!stopped) {
      controller = new AbortController();
      try {
        const extra = {'Accept': 'text/event-stream'};
        if (lastId) extra['Last-Event-ID'] = lastId;
        const response = await fetch('/outpost/v1/events?tables=' + encodeURIComponent(table),
            {headers: headers(extra), signal: controller.signal, cache: 'no-store'});
        if (response.ok) {
          delay = 1000;
          await read(response);
        } else {
          onState('off', 'No live updates (' + response.status + ')');
          if (response.status >= 400 && response.status < 500) return;
        }
      } catch (e) {
        if (stopped) return;
      }
      if (stopped) return;
      onState('off', 'Reconnecting…');
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 15000);
    }
  }

  onState('off', 'Connecting…');
  run();
  return () => {
    stopped = true;
    if (controller) controller.abort();
  };
}
