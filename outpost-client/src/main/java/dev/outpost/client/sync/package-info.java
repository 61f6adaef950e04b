/**
 * Offline sync: {@link dev.outpost.client.SyncContext} (queue, push, pull, purge, conflicts),
 * {@link dev.outpost.client.SyncTable} (local CRUD and queries that work with no network), conflict handling
 * ({@link dev.outpost.client.sync.ConflictHandler}, {@link dev.outpost.client.sync.ConflictHandlers}) and results
 * as values ({@link dev.outpost.client.sync.PushResult}, {@link dev.outpost.client.sync.PullResult}), and live sync
 * ({@link dev.outpost.client.sync.LiveSync}, {@link dev.outpost.client.sync.LiveSyncOptions}).
 */
package dev.outpost.client.sync;
