/**
 * The JVM's local store: {@link dev.outpost.client.sqlite.SqliteLocalStore}, a
 * {@link dev.outpost.client.store.LocalStore} in one SQLite file. Only that class is API; the rest of the package
 * (schema, transaction, rows, statement cache, checkpoints) is package-private.
 */
package dev.outpost.client.sqlite;
