package dev.outpost.client.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One page of a pull, whichever protocol fetched it. Immutable.
 *
 * @param items  the records, tombstones included, in server order
 * @param cursor the native cursor after the page ({@code null} for v2/v3 pages)
 * @param more   whether there may be more
 */
public record ChangesPage(List<ObjectNode> items, String cursor, boolean more) {
    public ChangesPage {
        items = List.copyOf(items);
    }
}
