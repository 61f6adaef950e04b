package dev.outpost.client.internal.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.SystemColumns;
import dev.outpost.protocol.Timestamps;
import java.util.Map;

/** Value comparisons that ignore representation: numbers by value, absent equals null, timestamps by instant. */
public final class JsonValues {
    private JsonValues() {
    }

    /** Whether two JSON values mean the same ({@code null}, missing and JSON null are all the same). */
    public static boolean same(JsonNode a, JsonNode b) {
        boolean aNull = a == null || a.isNull() || a.isMissingNode();
        boolean bNull = b == null || b.isNull() || b.isMissingNode();
        if (aNull || bNull) {
            return aNull && bNull;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isTextual() && b.isTextual()) {
            String x = a.asText();
            String y = b.asText();
            if (x.equals(y)) {
                return true;
            }
            return Timestamps.isTimestamp(x) && Timestamps.isTimestamp(y)
                    && Timestamps.parse(x).equals(Timestamps.parse(y));
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> field : a.properties()) {
                if (!same(field.getValue(), b.get(field.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /**
     * Whether {@code server} already holds every non-system property of {@code sent} (properties matched ignoring
     * case): how a re-sent change whose first answer was lost is recognised as already applied.
     */
    public static boolean holdsAll(ObjectNode server, ObjectNode sent) {
        if (server == null || sent == null) {
            return false;
        }
        for (Map.Entry<String, JsonNode> field : sent.properties()) {
            if (SystemColumns.isSystem(field.getKey())) {
                continue;
            }
            if (!same(field.getValue(), Json.getIgnoreCase(server, field.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
