package dev.outpost.server.internal.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.ProtocolVersion;
import dev.outpost.protocol.SystemColumns;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Applies the protocol's record rules to a JSON body: the id rules, reserved system properties (refused in v2,
 * ignored in v3), valid and unique property names. Thread-safe.
 */
public final class RecordParser {

    private RecordParser() {
    }

    /** Whether {@code id} follows the id rules ({@code ^[a-zA-Z0-9][a-zA-Z0-9_.|:-]{0,126}$}). */
    public static boolean isValidId(String id) {
        // The same rule as [a-zA-Z0-9][a-zA-Z0-9_.|:-]{0,126}, checked without a regex: every write checks it.
        if (id == null || id.isEmpty() || id.length() > 127 || !isLetterOrDigit(id.charAt(0))) {
            return false;
        }
        for (int i = 1; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!isLetterOrDigit(c) && c != '_' && c != '.' && c != '|' && c != ':' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /**
     * Checks {@code body} against the record rules.
     *
     * @throws InvalidRecordException if the id, a property name or a reserved property breaks the rules
     */
    public static ParsedRecord parse(ObjectNode body, ProtocolVersion dialect) {
        String id = null;
        String version = null;
        Boolean deleted = null;
        Map<String, JsonNode> properties = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (!seen.add(Names.key(name))) {
                throw new InvalidRecordException("duplicateProperty", name, "property '" + abbreviate(name)
                        + "' appears twice (names match ignoring case)");
            }
            String system = SystemColumns.canonical(name);
            if (system == null) {
                if (!Names.isValidColumnName(name)) {
                    throw new InvalidRecordException("invalidColumnName", name, "'" + abbreviate(name)
                            + "' is not a valid property name (letters, digits and '_', starting with a letter or "
                            + "'_', at most 128 characters, not starting with '__')");
                }
                properties.put(name, value);
            } else if (system.equals(SystemColumns.ID)) {
                id = readId(value);
            } else if (system.equals(SystemColumns.VERSION)) {
                if (!value.isNull()) {
                    if (!value.isTextual()) {
                        throw new InvalidRecordException("wrongType", "version", "'version' must be a string");
                    }
                    version = value.asText();
                }
            } else if (dialect == ProtocolVersion.V2) {
                throw new InvalidRecordException("reservedProperty", system, "Cannot update item with property '"
                        + system + "' as it is reserved");
            } else if (system.equals(SystemColumns.DELETED) && value.isBoolean()) {
                deleted = value.asBoolean();
            }
        }
        return new ParsedRecord(id, version, deleted, properties);
    }

    private static String readId(JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        String id;
        if (value.isTextual()) {
            id = value.asText();
        } else if (value.isIntegralNumber()) {
            id = value.asText();
        } else {
            throw new InvalidRecordException("invalidId", "id", "'id' must be a string");
        }
        if (id.isEmpty()) {
            return null;
        }
        requireValidId(id);
        return id;
    }

    /**
     * Checks an id from a URL or body.
     *
     * @throws InvalidRecordException if it breaks the id rules
     */
    public static void requireValidId(String id) {
        if (!isValidId(id)) {
            throw new InvalidRecordException("invalidId", "id", "invalid id '" + abbreviate(id)
                    + "': ids are 1 to 127 characters of letters, digits and _ . | : -, starting with a letter or digit");
        }
    }

    static String abbreviate(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && i < 60; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return text.length() > 60 ? out + "…" : out.toString();
    }
}
