package dev.outpost.client.internal.push;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.internal.queue.Operation;
import java.util.List;

/**
 * An operation as it was sent. Immutable.
 *
 * @param operation      the queued operation, marked in flight
 * @param payload        the local record sent (insert/update), or {@code null} for a delete
 * @param previouslySent what earlier attempts sent, whose answers were lost (any may have been applied); empty if
 *                       there were none
 */
record SentOperation(Operation operation, ObjectNode payload, List<ObjectNode> previouslySent) {
    SentOperation {
        previouslySent = List.copyOf(previouslySent);
    }
}
