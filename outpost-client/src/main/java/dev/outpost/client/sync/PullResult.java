package dev.outpost.client.sync;

/**
 * What a pull did. Immutable.
 *
 * @param table    the table
 * @param queryId  the query id, or {@code null} for a full pull
 * @param upserted records written locally
 * @param deleted  records deleted locally (tombstones)
 * @param skipped  records not written because they have pending local operations
 * @param pages     pages fetched
 * @param restarted whether the pull started the table over from scratch: its position was older than the server's
 *                  tombstone horizon (deletions since may have been forgotten there), so the local records without
 *                  a queued operation were removed and every record pulled again
 */
public record PullResult(String table, String queryId, int upserted, int deleted, int skipped, int pages,
        boolean restarted) {
}
