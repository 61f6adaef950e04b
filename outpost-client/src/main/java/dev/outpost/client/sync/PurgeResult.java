package dev.outpost.client.sync;

/**
 * What a purge did. Immutable.
 *
 * @param removed           local records removed
 * @param droppedOperations pending operations dropped (only by a forced purge); their changes are lost
 * @param cursorsReset      pull cursors of the table reset, so the next incremental pull starts over
 */
public record PurgeResult(int removed, int droppedOperations, int cursorsReset) {
}
