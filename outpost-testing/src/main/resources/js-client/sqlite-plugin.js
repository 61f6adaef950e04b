// A stand-in for Cordova's SQLite plugin (cordova-sqlite-storage: window.sqlitePlugin), backed by Node's sqlite3
// package, so that the official client's MobileServiceSqliteStore runs unchanged under Node.
//
// It implements the part of the plugin's WebSQL-style API that the store uses, with WebSQL's transaction rules:
//   sqlitePlugin.openDatabase({name, location}, success, error) -> db   (name is a file in the given directory)
//   db.transaction(fn, error, success)   fn(tx) queues tx.executeSql(sql, params, ok(tx, rs), fail(tx, err));
//       statements run in order inside BEGIN..COMMIT; an ok callback may queue more statements; a failing statement
//       (unless its fail callback returns false) or a throwing callback rolls the whole transaction back and calls
//       error(err); otherwise success() after COMMIT
//   db.executeSql(sql, params, ok(rs), error(err))   one statement on its own
//   db.close(success, error)
//   rs = {rows: {length, item(i)}, rowsAffected, insertId}
// Transactions on one database run one at a time, in the order they were asked for.
'use strict';
const path = require('path');
const sqlite3 = require('sqlite3');

function later(callback, ...args) {
    if (typeof callback === 'function') {
        // The plugin answers from native code, never synchronously; an exception thrown by the caller's callback
        // is not the database's to handle.
        setImmediate(() => callback(...args));
    }
}

function resultSet(rows, changes, lastId) {
    return {
        rows: { length: rows.length, item: (i) => rows[i] },
        rowsAffected: changes || 0,
        insertId: lastId
    };
}

function Database(file) {
    this._db = new sqlite3.Database(file);
    this._queue = Promise.resolve();
    this._closed = false;
}

Database.prototype._enqueue = function (work) {
    const next = this._queue.then(work);
    this._queue = next.catch(() => undefined);
    return next;
};

Database.prototype._run = function (sql, params) {
    const db = this._db;
    const values = (params || []).map((value) => (value === undefined ? null : value));
    return new Promise((resolve, reject) => {
        if (/^\s*(select|pragma|with)\b/i.test(sql)) {
            db.all(sql, values, (error, rows) => (error ? reject(error) : resolve(resultSet(rows, 0))));
        } else {
            db.run(sql, values, function (error) {
                if (error) {
                    reject(error);
                } else {
                    resolve(resultSet([], this.changes, this.lastID));
                }
            });
        }
    });
};

Database.prototype.transaction = function (fn, error, success) {
    const self = this;
    self._enqueue(async () => {
        const statements = [];
        let open = true;
        const tx = {
            executeSql(sql, params, ok, fail) {
                if (!open) {
                    throw new Error('the transaction has already ended');
                }
                statements.push({ sql, params, ok, fail });
            }
        };
        if (self._closed) {
            later(error, new Error('the database is closed'));
            return;
        }
        try {
            fn(tx);
        } catch (e) {
            open = false;
            later(error, e);
            return;
        }
        try {
            await self._run('BEGIN');
            while (statements.length > 0) {
                const statement = statements.shift();
                let rs;
                try {
                    rs = await self._run(statement.sql, statement.params);
                } catch (e) {
                    if (typeof statement.fail === 'function' && statement.fail(tx, e) === false) {
                        continue; // WebSQL: a fail callback that returns false keeps the transaction going
                    }
                    throw e;
                }
                if (typeof statement.ok === 'function') {
                    statement.ok(tx, rs);
                }
            }
            open = false;
            await self._run('COMMIT');
        } catch (e) {
            open = false;
            await self._run('ROLLBACK').catch(() => undefined);
            later(error, e);
            return;
        }
        later(success);
    });
};

Database.prototype.readTransaction = Database.prototype.transaction;

Database.prototype.executeSql = function (sql, params, ok, error) {
    const self = this;
    self._enqueue(async () => {
        if (self._closed) {
            later(error, new Error('the database is closed'));
            return;
        }
        let rs;
        try {
            rs = await self._run(sql, params);
        } catch (e) {
            later(error, e);
            return;
        }
        later(ok, rs);
    });
};

Database.prototype.close = function (success, error) {
    const self = this;
    self._enqueue(() => new Promise((resolve) => {
        self._closed = true;
        self._db.close((e) => {
            later(e ? error : success, e || undefined);
            resolve();
        });
    }));
};

/** The plugin object for a directory that holds the database files. */
function sqlitePlugin(directory) {
    return {
        openDatabase(options, success, error) {
            const name = typeof options === 'string' ? options : options.name;
            let db;
            try {
                db = new Database(path.join(directory, name));
            } catch (e) {
                later(error, e);
                return undefined;
            }
            // Wait for the file to open before answering, as the plugin does.
            db._enqueue(() => db._run('PRAGMA user_version')).then(() => later(success, db), (e) => later(error, e));
            return db;
        }
    };
}

module.exports = sqlitePlugin;
