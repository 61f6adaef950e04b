package dev.outpost.protocol;

import java.util.regex.Pattern;

/**
 * The table protocol dialect a request speaks, chosen by {@code ZUMO-API-VERSION}.
 *
 * <ul>
 *   <li>{@link #V2}: Azure Mobile Apps ({@code 2.0.x}): bare JSON arrays, {@code $inlinecount}, {@code Link}
 *       paging, PATCH updates, OData v3 literals.</li>
 *   <li>{@link #V3}: Datasync ({@code 3.0.x}): {@code {items,count,nextLink}}, {@code $count}, PUT replace,
 *       410 for tombstones, OData v4 literals.</li>
 * </ul>
 */
public enum ProtocolVersion {
    V2("2.0.0"),
    V3("3.0.0");

    private static final Pattern V2_PATTERN = Pattern.compile("2\\.0\\.\\d{1,9}|2\\.0");
    private static final Pattern V3_PATTERN = Pattern.compile("3\\.0\\.\\d{1,9}|3\\.0");

    private final String headerValue;

    ProtocolVersion(String headerValue) {
        this.headerValue = headerValue;
    }

    /** The value Outpost's client sends in {@code ZUMO-API-VERSION} for this dialect. */
    public String headerValue() {
        return headerValue;
    }

    /**
     * Reads a {@code ZUMO-API-VERSION} value.
     *
     * @return the dialect, or {@code null} when the value names neither {@code 2.0.x} nor {@code 3.0.x}
     */
    public static ProtocolVersion fromHeader(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        if (V2_PATTERN.matcher(trimmed).matches()) {
            return V2;
        }
        if (V3_PATTERN.matcher(trimmed).matches()) {
            return V3;
        }
        return null;
    }
}
