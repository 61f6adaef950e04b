package dev.outpost.client.internal.push;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.internal.queue.Operation;

/**
 * An operation as it was sent. Immutable.
 *
 * @param operation      the queued operation, marked in flight
 * @param payload        the local record sent (insert/update), or {@code null} for a delete
 * @param previouslySent what an earlier attempt sent, or {@code null} if there was none
 */
record SentOperation(Operation operation, ObjectNode payload, ObjectNode previouslySent) {
}
