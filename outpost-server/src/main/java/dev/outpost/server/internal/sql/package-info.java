/**
 * SQL for the two supported databases: the {@link dev.outpost.server.internal.sql.SqlDialect} extension point with
 * its SQLite and PostgreSQL implementations, the {@code $filter} to SQL translation and the per-table clock. Every
 * value reaches SQL as a bind parameter; identifiers come only from table schemas and are quoted by the dialect. Not
 * API: internal to the server, may change in any release.
 */
package dev.outpost.server.internal.sql;
