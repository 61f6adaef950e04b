package dev.outpost.client.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * One page of a table query, whichever dialect answered it: a v2 bare array or {@code {"results": […], "count": N}},
 * or a v3 {@code {"items": […], "count": N, "nextLink": …}}. Immutable.
 *
 * @param items the records, in the server's order
 * @param count   the total count, when the query asked for it and the server sent it
 * @param horizon an Outpost server's tombstone horizon for the table, or {@code null}: a pull position older than
 *                it may have missed deletions whose tombstones were purged
 * @param serverTime the server's time when it answered, sent with the horizon, or {@code null}
 */
public record QueryPage(List<ObjectNode> items, OptionalLong count, Instant horizon, Instant serverTime) {
    public QueryPage {
        items = List.copyOf(items);
    }

    /** The page a query's JSON answer holds (an answer with no recognisable records is an empty page). */
    static QueryPage of(JsonNode body, Instant horizon, Instant serverTime) {
        JsonNode items = body == null ? null : body.isArray() ? body : body.has("items") ? body.get("items")
                : body.get("results");
        List<ObjectNode> records = new ArrayList<>();
        if (items != null) {
            for (JsonNode item : items) {
                if (item.isObject()) {
                    records.add((ObjectNode) item);
                }
            }
        }
        JsonNode count = body == null || body.isArray() ? null : body.get("count");
        return new QueryPage(records, count != null && count.isNumber() ? OptionalLong.of(count.asLong())
                : OptionalLong.empty(), horizon, serverTime);
    }
}
