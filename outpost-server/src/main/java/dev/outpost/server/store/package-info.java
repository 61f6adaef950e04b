/**
 * Records in SQL: the {@link dev.outpost.server.store.TableRepository} (insert, read, update, delete, streamed
 * queries, change pages, purge), the connection pool, the schema tables, server-side group commit, and the domain
 * exceptions that {@code ErrorMapper} turns into HTTP answers. Types here are internal to the server.
 */
package dev.outpost.server.store;
