/**
 * Records in SQL: the {@link dev.outpost.server.internal.store.TableRepository} (insert, read, update, delete,
 * streamed queries, change pages, purge), the connection pool, the schema tables, server-side group commit, and the
 * domain exceptions that {@code ErrorMapper} turns into HTTP answers. Not API: internal to the server, may change in
 * any release.
 */
package dev.outpost.server.internal.store;
