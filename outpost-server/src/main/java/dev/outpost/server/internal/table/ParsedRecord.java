package dev.outpost.server.internal.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A record body that passed the protocol's rules (id, reserved properties, property names), before its values
 * are checked against a table's column types.
 *
 * @param id         the id given in the body ({@code null} when absent, null or empty)
 * @param version    the {@code version} given in the body (a precondition), or {@code null}
 * @param deleted    v3 only: the {@code deleted} flag given in the body, or {@code null}
 * @param properties the user properties by their name as written, in body order
 */
public record ParsedRecord(String id, String version, Boolean deleted, Map<String, JsonNode> properties) {
    public ParsedRecord {
        properties = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties));
    }
}
