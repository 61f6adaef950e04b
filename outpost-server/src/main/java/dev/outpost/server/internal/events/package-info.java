/**
 * Change events: the notices a commit publishes (one per table it changed, with its position and whose rows
 * changed), how they travel between replicas (in process on SQLite, {@code LISTEN}/{@code NOTIFY} on PostgreSQL),
 * and the hub that fans them out to the open event streams.
 */
package dev.outpost.server.internal.events;
