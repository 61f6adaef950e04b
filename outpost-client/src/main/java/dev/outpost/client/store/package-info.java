/**
 * Where records live on the device, as a small interface a store implements:
 * {@link dev.outpost.client.store.LocalStore} (tables of JSON records with typed columns, callback-scoped
 * transactions, change notifications after commit), {@link dev.outpost.client.store.StoreTransaction} and
 * {@link dev.outpost.client.store.TableDefinition}. The JVM's implementation is
 * {@link dev.outpost.client.sqlite.SqliteLocalStore}.
 */
package dev.outpost.client.store;
