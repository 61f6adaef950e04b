package dev.outpost.client.sync;

/**
 * What a pull did. Immutable.
 *
 * @param table    the table
 * @param queryId  the query id, or {@code null} for a full pull
 * @param upserted records written locally
 * @param deleted  records deleted locally (tombstones)
 * @param skipped  records not written because they have pending local operations
 * @param pages    pages fetched
 */
public record PullResult(String table, String queryId, int upserted, int deleted, int skipped, int pages) {
}
