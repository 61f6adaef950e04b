/**
 * The Outpost server: {@link dev.outpost.server.OutpostServer} serves tables over HTTP (Azure Mobile Apps v2,
 * Datasync v3 and Outpost's native extensions) from SQLite or PostgreSQL; {@link dev.outpost.server.ServerConfig}
 * holds its settings and {@link dev.outpost.server.ServerMain} is the {@code outpost serve} command.
 */
package dev.outpost.server;
