/**
 * Where records live on the device: {@link dev.outpost.client.store.LocalStore} (tables of JSON records with typed
 * columns, callback-scoped transactions, change notifications after commit) and its JVM implementation
 * {@link dev.outpost.client.store.SqliteLocalStore}.
 */
package dev.outpost.client.store;
