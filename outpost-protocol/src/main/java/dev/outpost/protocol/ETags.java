package dev.outpost.protocol;

/**
 * Versions as HTTP entity tags: a record's {@code version} travels as the strong, quoted {@code ETag}
 * {@code "<version>"} and comes back in {@code If-Match} / {@code If-None-Match}.
 */
public final class ETags {
    /** The {@code If-Match: *} wildcard: any current version matches. */
    public static final String ANY = "*";

    private ETags() {
    }

    /** Quotes a version for an {@code ETag} header, escaping embedded quotes as the official clients do. */
    public static String quote(String version) {
        return '"' + version.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /**
     * Reads the version out of an {@code If-Match} or {@code If-None-Match} value.
     *
     * <p>Accepts the quoted form, the unquoted form (the official Node server does), and {@code *}, returned as
     * {@link #ANY}. A weak tag ({@code W/"…"}) never matches a strong version, so it is returned with its
     * {@code W/} prefix. Returns {@code null} for a missing or blank header.
     */
    public static String parse(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        if (value.equals(ANY)) {
            return ANY;
        }
        if (value.startsWith("W/")) {
            return value;
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return value;
    }
}
