/**
 * The server's metrics ({@link dev.outpost.server.internal.metrics.ServerMetrics}: Micrometer meters scraped in the
 * Prometheus text format at {@code /metrics}) and its view of the fleet of client installations
 * ({@link dev.outpost.server.internal.metrics.Installations}, kept in the database so that every replica sees the
 * same fleet). Depends on {@code internal.store} for the database.
 */
package dev.outpost.server.internal.metrics;
