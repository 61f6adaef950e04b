package dev.outpost.server.internal.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Next-page links: v2's {@code Link: <absolute url>; rel=next} header value (written without angle brackets, as
 * the official v2 clients parse it) and v3's {@code nextLink} (a bare query string as CommunityToolkit clients
 * expect, or a path and query for clients that send {@code X-ZUMO-Options: nextLink=path}). The link repeats the
 * request's parameters with {@code $skip} advanced and {@code $top} reduced by what was returned.
 * Thread-safe.
 */
final class NextLink {
    private NextLink() {
    }

    /**
     * The query string of the next page: the request's parameters in order without {@code $skip} and
     * {@code $top}, then {@code $skip} and (when the request had a {@code $top}) the remaining {@code $top}, as the
     * Datasync servers write it.
     */
    static String query(List<Map.Entry<String, String>> parameters, long nextSkip, Long remainingTop) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, String> parameter : parameters) {
            String name = parameter.getKey();
            if (!name.equalsIgnoreCase("$skip") && !name.equalsIgnoreCase("$top")) {
                parts.add(encode(name) + "=" + encode(parameter.getValue()));
            }
        }
        parts.add("$skip=" + nextSkip);
        if (remainingTop != null) {
            parts.add("$top=" + remainingTop);
        }
        return String.join("&", parts);
    }

    /** The v2 {@code Link} header value for an absolute URL. */
    static String linkHeader(String absoluteUrl) {
        return absoluteUrl + "; rel=next";
    }

    /** Percent-encodes a query parameter name or value, keeping OData's punctuation readable. */
    static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~$'(),:*!@/".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
