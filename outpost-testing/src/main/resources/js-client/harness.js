// Drives the official Azure Mobile Apps JavaScript client (npm azure-mobile-apps-client 2.0.1) under Node.js for
// the compatibility tests: runs the steps of a spec file in order and prints one line "RESULT <json>" with each
// step's outcome and every HTTP request the client made (method, URL, request headers, status).
//
// Usage: node harness.js <spec.json>
//   spec: {"url": server URL,
//          "user": {"userId": ..., "token": ...} or null (no user: no X-ZUMO-AUTH),
//          "cordova": true to run as in a Cordova app (the only target whose exports hold MobileServiceSqliteStore),
//          "storeDir": directory of the offline store's SQLite files,
//          "steps": [{"op": ..., ...}]}
//   ops, online:  insert {table, item} | read {table} | lookup {table, id} | update {table, item} | del {table, item}
//   ops, offline: initStore {name, table, columns} | syncInsert {table, item} | syncUpdate {table, item}
//                 | syncRead {table} | pending (the operations queued in the store) | push | pull {table, queryId}
// A step that fails does not stop the run: its outcome is {"ok": false, "error": {"message", "status"}}.
//
// The client is written for browsers and Cordova; under Node it needs XMLHttpRequest (the xhr2 package, given the
// 'withCredentials' property that the client looks for to detect CORS support) and, offline, Cordova's
// window.sqlitePlugin (sqlite-plugin.js beside this file, backed by the sqlite3 package).
'use strict';
const fs = require('fs');
const path = require('path');

const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const requests = [];

const Xhr2 = require('xhr2');
class RecordingXMLHttpRequest extends Xhr2 {
    constructor() {
        super();
        this.withCredentials = false;
    }

    open(method, url, ...rest) {
        this._record = { method: method, url: url, headers: {} };
        return super.open(method, url, ...rest);
    }

    setRequestHeader(name, value) {
        this._record.headers[name.toLowerCase()] = String(value);
        return super.setRequestHeader(name, value);
    }

    send(body) {
        const record = this._record;
        requests.push(record);
        this.addEventListener('loadend', () => {
            record.status = this.status;
        });
        return super.send(body);
    }
}
global.XMLHttpRequest = RecordingXMLHttpRequest;

if (spec.cordova) {
    global.cordova = { version: '9.0.0' };
    global.window = { sqlitePlugin: require('./sqlite-plugin')(spec.storeDir) };
}

const AzureMobileApps = require('azure-mobile-apps-client');
const client = new AzureMobileApps.MobileServiceClient(spec.url);
if (spec.user) {
    // What the client's own login leaves behind; every request then carries X-ZUMO-AUTH.
    client.currentUser = { userId: spec.user.userId, mobileServiceAuthenticationToken: spec.user.token };
}

let store;

function plain(value) {
    // Dates become ISO strings; the client's objects become plain JSON.
    return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

function failure(error) {
    // The HTTP status of the request that failed, where there is one; a push's error wraps it (VError causes).
    let status = null;
    for (let e = error; e && status === null; e = typeof e.cause === 'function' ? e.cause() : null) {
        if (e.request) {
            status = e.request.status;
        }
    }
    return { message: error && error.message ? String(error.message) : String(error), status: status };
}

const ops = {
    insert: (step) => client.getTable(step.table).insert(step.item),
    read: (step) => client.getTable(step.table).read(),
    lookup: (step) => client.getTable(step.table).lookup(step.id),
    update: (step) => client.getTable(step.table).update(step.item),
    del: (step) => client.getTable(step.table).del(step.item),

    initStore: (step) => {
        store = new AzureMobileApps.MobileServiceSqliteStore(step.name);
        return store.defineTable({ name: step.table, columnDefinitions: step.columns })
            .then(() => client.getSyncContext().initialize(store))
            .then(() => null);
    },
    syncInsert: (step) => client.getSyncTable(step.table).insert(step.item),
    syncUpdate: (step) => client.getSyncTable(step.table).update(step.item),
    syncRead: (step) => client.getSyncTable(step.table).read(),
    pending: () => store.read(new AzureMobileApps.Query('__operations')).then((rows) => rows.map((row) => (
        { action: row.action, tableName: row.tableName, itemId: row.itemId }))),
    push: () => client.getSyncContext().push().then((conflicts) => ({ conflicts: (conflicts || []).length })),
    pull: (step) => client.getSyncContext().pull(new AzureMobileApps.Query(step.table), step.queryId || null)
        .then(() => null)
};

async function main() {
    const results = [];
    for (const step of spec.steps) {
        const op = ops[step.op];
        if (!op) {
            throw new Error('unknown op ' + step.op);
        }
        const before = requests.length;
        try {
            const value = await op(step);
            results.push({ op: step.op, ok: true, value: plain(value), requests: requests.length - before });
        } catch (error) {
            results.push({ op: step.op, ok: false, error: failure(error), requests: requests.length - before });
        }
    }
    if (store) {
        await store.close();
    }
    process.stdout.write('RESULT ' + JSON.stringify({ results: results, requests: requests }) + '\n');
}

main().catch((error) => {
    process.stderr.write('HARNESS FAILED ' + (error && error.stack ? error.stack : error) + '\n');
    process.exit(2);
});
