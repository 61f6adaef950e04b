package dev.outpost.server.internal.http;

import dev.outpost.protocol.OutpostHeaders;
import dev.outpost.protocol.query.Filter;
import dev.outpost.protocol.query.FilterParser;
import dev.outpost.protocol.query.InvalidQueryException;
import dev.outpost.protocol.query.OrderBy;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The query options of a table request, read from the raw query string: {@code $filter $orderby $skip $top
 * $select $inlinecount $count} (names in any case), {@code __includeDeleted}, and the original parameters in order
 * (for next-page links). Unknown {@code $} options are refused; other unknown parameters are ignored. Immutable.
 */
final class QueryOptions {
    private static final Pattern NUMBER = Pattern.compile("\\d{1,18}");
    private static final Set<String> KNOWN = Set.of("$filter", "$orderby", "$skip", "$top", "$select",
            "$inlinecount", "$count");

    final List<Map.Entry<String, String>> parameters;
    final String filterText;
    final Filter filter;
    final List<OrderBy> orderBy;
    final List<String> select;
    final Long skip;
    final Long top;
    final boolean count;
    final boolean includeDeleted;

    private QueryOptions(List<Map.Entry<String, String>> parameters, String filterText, Filter filter,
                         List<OrderBy> orderBy, List<String> select, Long skip, Long top, boolean count,
                         boolean includeDeleted) {
        this.parameters = parameters;
        this.filterText = filterText;
        this.filter = filter;
        this.orderBy = orderBy;
        this.select = select;
        this.skip = skip;
        this.top = top;
        this.count = count;
        this.includeDeleted = includeDeleted;
    }

    /**
     * Reads and checks the query options.
     *
     * @throws InvalidQueryException if an option is unknown, duplicated or malformed, or {@code $top} is over
     *                               {@code maxTop}
     */
    static QueryOptions parse(String rawQuery, String zumoOptions, int maxTop, FilterParser parser) {
        List<Map.Entry<String, String>> parameters = decode(rawQuery);
        Set<String> seen = new HashSet<>();
        String filterText = null;
        Filter filter = null;
        List<OrderBy> orderBy = List.of();
        List<String> select = List.of();
        Long skip = null;
        Long top = null;
        boolean count = false;
        boolean includeDeleted = zumoOptions != null && zumoOptions.toLowerCase(Locale.ROOT).contains("include:deleted");
        for (Map.Entry<String, String> parameter : parameters) {
            String name = parameter.getKey().toLowerCase(Locale.ROOT);
            String value = parameter.getValue();
            if (name.equalsIgnoreCase(OutpostHeaders.INCLUDE_DELETED)) {
                includeDeleted = value.equalsIgnoreCase("true");
                continue;
            }
            if (!name.startsWith("$")) {
                continue;
            }
            if (!KNOWN.contains(name)) {
                throw new InvalidQueryException(parameter.getKey(), value, -1, "unknown query option '"
                        + abbreviate(parameter.getKey()) + "' (supported: $filter, $orderby, $skip, $top, $select, "
                        + "$inlinecount, $count)");
            }
            if (!seen.add(name)) {
                throw new InvalidQueryException(name, value, -1, "query option " + name + " is given twice");
            }
            switch (name) {
                case "$filter":
                    filterText = value;
                    filter = parser.parseFilter(value);
                    break;
                case "$orderby":
                    orderBy = parser.parseOrderBy(value);
                    break;
                case "$select":
                    select = parser.parseSelect(value);
                    break;
                case "$skip":
                    skip = number(name, value);
                    break;
                case "$top":
                    top = number(name, value);
                    if (top > maxTop) {
                        throw new InvalidQueryException(name, value, -1, "You cannot request more than " + maxTop
                                + " records ($top=" + top + ")");
                    }
                    break;
                case "$inlinecount":
                    if (value.equalsIgnoreCase("allpages")) {
                        count = true;
                    } else if (!value.equalsIgnoreCase("none")) {
                        throw new InvalidQueryException(name, value, -1, "$inlinecount must be allpages or none");
                    }
                    break;
                case "$count":
                default:
                    if (value.equalsIgnoreCase("true")) {
                        count = true;
                    } else if (!value.equalsIgnoreCase("false")) {
                        throw new InvalidQueryException(name, value, -1, "$count must be true or false");
                    }
                    break;
            }
        }
        return new QueryOptions(List.copyOf(parameters), filterText, filter, orderBy, select, skip, top, count,
                includeDeleted);
    }

    private static long number(String name, String value) {
        if (!NUMBER.matcher(value).matches()) {
            throw new InvalidQueryException(name, value, -1, name + " must be a non-negative integer, not '"
                    + abbreviate(value) + "'");
        }
        return Long.parseLong(value);
    }

    /** Splits and percent-decodes a raw query string, keeping order. */
    static List<Map.Entry<String, String>> decode(String rawQuery) {
        List<Map.Entry<String, String>> parameters = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String part : rawQuery.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String name = eq < 0 ? part : part.substring(0, eq);
            String value = eq < 0 ? "" : part.substring(eq + 1);
            try {
                parameters.add(Map.entry(URLDecoder.decode(name, StandardCharsets.UTF_8),
                        URLDecoder.decode(value, StandardCharsets.UTF_8)));
            } catch (IllegalArgumentException e) {
                throw new InvalidQueryException(abbreviate(name), abbreviate(value), -1,
                        "malformed percent-encoding in the query string");
            }
        }
        return parameters;
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "…";
    }
}
