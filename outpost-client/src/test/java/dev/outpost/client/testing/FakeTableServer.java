package dev.outpost.client.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.internal.json.Json;
import dev.outpost.client.internal.json.JsonValues;
import dev.outpost.protocol.ETags;
import dev.outpost.protocol.OutpostHeaders;
import dev.outpost.protocol.SystemColumns;
import dev.outpost.protocol.Timestamps;
import dev.outpost.protocol.query.ComparisonOperator;
import dev.outpost.protocol.query.Filter;
import dev.outpost.protocol.query.FilterParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;

/**
 * A small in-memory table server on a real port, speaking v2 (as the official Node server answers, wire traces
 * 00–21), v3, or v3 plus Outpost's native extensions (docs/native-protocol.md). It stands in for the real servers
 * where a test needs one to misbehave on cue (fail a page, run app code while a request is in flight). Soft delete
 * is always on. Thread-safe.
 */
public final class FakeTableServer extends Dispatcher implements Backend {
    /** What the server speaks. */
    public enum Mode { NATIVE, V2, V3 }

    private final Mode mode;
    private final MockWebServer server = new MockWebServer();
    private final Map<String, TreeMap<String, ObjectNode>> tables = new HashMap<>();
    private final Map<String, ObjectNode> appliedOperations = new HashMap<>();
    private final Map<String, Long> clocks = new HashMap<>();
    private final List<String> requestLog = new ArrayList<>();
    private volatile Consumer<RecordedRequest> hook = request -> { };
    private volatile Function<RecordedRequest, MockResponse> events;
    private Instant frozen;
    private String failPath;
    private int failAfter = -1;
    private long versions;

    public FakeTableServer(Mode mode) {
        this.mode = mode;
        server.setDispatcher(this);
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL. */
    @Override
    public String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    /** The port. */
    @Override
    public int port() {
        return server.getPort();
    }

    /** Runs {@code action} when a request arrives, before it is handled (the client is waiting for the answer). */
    public void onRequest(Consumer<RecordedRequest> action) {
        this.hook = action == null ? request -> { } : action;
    }

    /**
     * Answers {@code GET /outpost/v1/events} with what {@code answer} gives for each request ({@link EventStreams},
     * say); {@code null}, the default: 404, as a server without change events answers.
     */
    public void onEvents(Function<RecordedRequest, MockResponse> answer) {
        this.events = answer;
    }

    /** Answers 503 to requests whose path starts with {@code pathPrefix} once {@code after} of them were answered. */
    public synchronized void failRequests(String pathPrefix, int after) {
        this.failPath = pathPrefix;
        this.failAfter = after;
    }

    /** Every write gets this {@code updatedAt} ({@code null}: the table clock, unique per table). */
    @Override
    public synchronized void freezeClock(Instant instant) {
        this.frozen = instant;
    }

    /** "METHOD path" of every request so far. */
    public synchronized List<String> requests() {
        return List.copyOf(requestLog);
    }

    /** The server's record, tombstones included; {@code null} if none. */
    @Override
    public synchronized ObjectNode record(String table, String id) {
        ObjectNode record = table(table).get(id);
        return record == null ? null : record.deepCopy();
    }

    /** The live (not deleted) records of a table, by id. */
    @Override
    public synchronized List<ObjectNode> liveRecords(String table) {
        List<ObjectNode> live = new ArrayList<>();
        for (ObjectNode record : table(table).values()) {
            if (!record.path(SystemColumns.DELETED).asBoolean()) {
                live.add(record.deepCopy());
            }
        }
        return live;
    }

    /** Writes a record as another client would (merging properties); returns it as stored. */
    @Override
    public synchronized ObjectNode write(String table, ObjectNode changes) {
        String id = changes.get("id").asText();
        ObjectNode existing = table(table).get(id);
        ObjectNode record = existing == null ? Json.object() : existing.deepCopy();
        changes.properties().forEach(field -> record.set(field.getKey(), field.getValue()));
        return store(table, record, existing == null);
    }

    /** Soft-deletes a record as another client would. */
    public synchronized void deleteRecord(String table, String id) {
        ObjectNode record = table(table).get(id).deepCopy();
        record.put(SystemColumns.DELETED, true);
        store(table, record, false);
    }

    @Override
    public void close() {
        server.close();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        hook.accept(request);
        Function<RecordedRequest, MockResponse> streams = events;
        if (streams != null && request.getUrl().encodedPath().equals("/outpost/v1/events")) {
            synchronized (this) {
                requestLog.add(request.getMethod() + " /outpost/v1/events");
            }
            // Outside the lock: an event stream's body is written long after this returns.
            return streams.apply(request);
        }
        synchronized (this) {
            HttpUrl url = request.getUrl();
            String path = url.encodedPath();
            requestLog.add(request.getMethod() + " " + path);
            if (failPath != null && path.startsWith(failPath)) {
                if (failAfter-- <= 0) {
                    return respond(503, Json.object().put("error", "unavailable (test)"), null);
                }
            }
            List<String> segments = url.pathSegments();
            if (segments.size() >= 2 && segments.get(0).equals("tables")) {
                return table(request, segments);
            }
            if (mode == Mode.NATIVE && path.equals("/outpost/v1/push")) {
                return nativePush(request);
            }
            if (mode == Mode.NATIVE && segments.size() == 5 && path.startsWith("/outpost/v1/tables/")) {
                return changes(segments.get(3), url);
            }
            if (path.equals("/health")) {
                return respond(200, Json.object().put("status", "ok"), null);
            }
            return respond(404, Json.object().put("error", "no route"), null);
        }
    }

    private MockResponse table(RecordedRequest request, List<String> segments) {
        String table = segments.get(1);
        String id = segments.size() > 2 ? segments.get(2) : null;
        HttpUrl url = request.getUrl();
        boolean includeDeleted = "true".equals(url.queryParameter(OutpostHeaders.INCLUDE_DELETED));
        ObjectNode body = body(request);
        String ifMatch = ETags.parse(request.getHeaders().get("If-Match"));
        ObjectNode existing = id == null ? null : table(table).get(id);
        boolean existingLive = existing != null && !existing.path(SystemColumns.DELETED).asBoolean();
        switch (request.getMethod()) {
            case "GET":
                if (id == null) {
                    return query(table, url);
                }
                if (existing == null || (!existingLive && !includeDeleted)) {
                    return respond(mode == Mode.V2 || existing == null ? 404 : 410,
                            Json.object().put("error", "The item does not exist"), null);
                }
                return respond(200, existing, existing);
            case "POST": {
                String newId = body.hasNonNull("id") ? body.get("id").asText() : java.util.UUID.randomUUID().toString();
                ObjectNode current = table(table).get(newId);
                if (current != null) {
                    // The official Node server answers a duplicate insert with the request's item (trace 03).
                    return mode == Mode.V2 ? respond(409, body, null) : respond(409, current, current);
                }
                body.put("id", newId);
                return respond(201, store(table, body, true), null);
            }
            case "PATCH":
            case "PUT": {
                if (!existingLive) {
                    return respond(existing == null || mode == Mode.V2 ? 404 : 410,
                            Json.object().put("error", "The item does not exist"), null);
                }
                if (ifMatch != null && !ifMatch.equals(existing.get("version").asText())) {
                    return respond(412, existing, existing);
                }
                ObjectNode updated = request.getMethod().equals("PUT") ? Json.object() : existing.deepCopy();
                body.properties().forEach(f -> updated.set(f.getKey(), f.getValue()));
                updated.put("id", id);
                updated.set(SystemColumns.CREATED_AT, existing.get(SystemColumns.CREATED_AT));
                return respond(200, store(table, updated, false), null);
            }
            case "DELETE": {
                if (!existingLive) {
                    return respond(mode == Mode.V2 || existing == null ? 404 : 410,
                            Json.object().put("error", "The item does not exist"), null);
                }
                if (ifMatch != null && !ifMatch.equals(existing.get("version").asText())) {
                    return respond(412, existing, existing);
                }
                ObjectNode tombstone = existing.deepCopy().put(SystemColumns.DELETED, true);
                ObjectNode stored = store(table, tombstone, false);
                return mode == Mode.V2 ? respond(200, stored, null) : respond(204, null, null);
            }
            default:
                return respond(405, Json.object().put("error", "method"), null);
        }
    }

    private MockResponse query(String table, HttpUrl url) {
        Filter filter = url.queryParameter("$filter") == null ? null
                : FilterParser.defaults().parseFilter(url.queryParameter("$filter"));
        boolean includeDeleted = "true".equals(url.queryParameter(OutpostHeaders.INCLUDE_DELETED));
        List<ObjectNode> matching = new ArrayList<>();
        for (ObjectNode record : table(table).values()) {
            if ((includeDeleted || !record.path(SystemColumns.DELETED).asBoolean()) && matches(filter, record)) {
                matching.add(record);
            }
        }
        matching.sort(Comparator.comparing((ObjectNode r) -> r.get(SystemColumns.UPDATED_AT).asText())
                .thenComparing(r -> r.get("id").asText()));
        int skip = url.queryParameter("$skip") == null ? 0 : Integer.parseInt(url.queryParameter("$skip"));
        int top = url.queryParameter("$top") == null ? 50 : Integer.parseInt(url.queryParameter("$top"));
        // Like the official Node server, a page never exceeds 50 records whatever $top asks for.
        int pageSize = mode == Mode.V2 ? Math.min(top, 50) : Math.min(top, 100);
        ArrayNode items = Json.MAPPER.createArrayNode();
        for (int i = skip; i < Math.min(matching.size(), skip + pageSize); i++) {
            items.add(matching.get(i));
        }
        if (mode == Mode.V2) {
            return respond(200, items, null);
        }
        ObjectNode page = Json.object();
        page.set("items", items);
        return respond(200, page, null);
    }

    private MockResponse changes(String table, HttpUrl url) {
        Filter filter = url.queryParameter("$filter") == null ? null
                : FilterParser.defaults().parseFilter(url.queryParameter("$filter"));
        String cursor = url.queryParameter("cursor");
        String afterU = "";
        String afterI = "";
        if (cursor != null) {
            JsonNode position = Json.parse(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
            afterU = position.get("u").asText();
            afterI = position.get("i").asText();
        }
        int limit = url.queryParameter("limit") == null ? 1000 : Integer.parseInt(url.queryParameter("limit"));
        List<ObjectNode> after = new ArrayList<>();
        for (ObjectNode record : table(table).values()) {
            String u = record.get(SystemColumns.UPDATED_AT).asText();
            String i = record.get("id").asText();
            int c = u.compareTo(afterU);
            if ((c > 0 || (c == 0 && i.compareTo(afterI) > 0)) && matches(filter, record)) {
                after.add(record);
            }
        }
        after.sort(Comparator.comparing((ObjectNode r) -> r.get(SystemColumns.UPDATED_AT).asText())
                .thenComparing(r -> r.get("id").asText()));
        ArrayNode items = Json.MAPPER.createArrayNode();
        for (int i = 0; i < Math.min(limit, after.size()); i++) {
            items.add(after.get(i));
        }
        String next = cursor;
        if (!items.isEmpty()) {
            JsonNode last = items.get(items.size() - 1);
            next = Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(Json.object()
                    .put("u", last.get(SystemColumns.UPDATED_AT).asText()).put("i", last.get("id").asText()))
                    .getBytes(StandardCharsets.UTF_8));
        }
        ObjectNode page = Json.object();
        page.set("items", items);
        page.put("cursor", next);
        page.put("more", items.size() == limit);
        return respond(200, page, null);
    }

    private MockResponse nativePush(RecordedRequest request) {
        ObjectNode batch = body(request);
        ObjectNode answer = Json.object();
        ArrayNode results = answer.putArray("results");
        for (JsonNode op : batch.get("operations")) {
            String opId = op.get("id").asText();
            ObjectNode result = results.addObject().put("id", opId);
            if (appliedOperations.containsKey(opId)) {
                result.put("status", "alreadyApplied");
                result.set("item", appliedOperations.get(opId));
                continue;
            }
            String table = op.get("table").asText();
            String itemId = op.get("itemId").asText();
            String version = op.path("version").isTextual() ? op.get("version").asText() : null;
            ObjectNode existing = table(table).get(itemId);
            boolean live = existing != null && !existing.path(SystemColumns.DELETED).asBoolean();
            ObjectNode item = op.path("item").isObject() ? ((ObjectNode) op.get("item")).deepCopy() : null;
            ObjectNode stored;
            switch (op.get("kind").asText()) {
                case "insert":
                    if (existing != null) {
                        result.put("status", "conflict").put("httpStatus", 409).set("item", existing);
                        continue;
                    }
                    item.put("id", itemId);
                    stored = store(table, item, true);
                    break;
                case "update":
                    if (existing == null) {
                        result.put("status", "notFound").put("httpStatus", 404);
                        continue;
                    }
                    if (!live) {
                        result.put("status", "gone").put("httpStatus", 410).set("item", existing);
                        continue;
                    }
                    if (version != null && !version.equals(existing.get("version").asText())) {
                        result.put("status", "conflict").put("httpStatus", 412).set("item", existing);
                        continue;
                    }
                    ObjectNode merged = existing.deepCopy();
                    item.properties().forEach(f -> merged.set(f.getKey(), f.getValue()));
                    stored = store(table, merged, false);
                    break;
                default:
                    if (!live) {
                        stored = existing;
                        break;
                    }
                    if (version != null && !version.equals(existing.get("version").asText())) {
                        result.put("status", "conflict").put("httpStatus", 412).set("item", existing);
                        continue;
                    }
                    stored = store(table, existing.deepCopy().put(SystemColumns.DELETED, true), false);
                    break;
            }
            result.put("status", "applied").set("item", stored);
            appliedOperations.put(opId, stored == null ? null : stored.deepCopy());
        }
        return respond(200, answer, null);
    }

    private ObjectNode store(String table, ObjectNode record, boolean insert) {
        for (String column : List.of(SystemColumns.UPDATED_AT, SystemColumns.VERSION)) {
            record.remove(column);
        }
        String now = nextTimestamp(table);
        if (insert || !record.hasNonNull(SystemColumns.CREATED_AT)) {
            record.put(SystemColumns.CREATED_AT, now);
        }
        record.put(SystemColumns.UPDATED_AT, now);
        record.put(SystemColumns.VERSION, Base64.getEncoder().encodeToString(
                Long.toString(++versions).getBytes(StandardCharsets.UTF_8)));
        if (!record.has(SystemColumns.DELETED)) {
            record.put(SystemColumns.DELETED, false);
        }
        table(table).put(record.get("id").asText(), record);
        return record.deepCopy();
    }

    private String nextTimestamp(String table) {
        if (frozen != null) {
            return Timestamps.format(frozen);
        }
        long now = System.currentTimeMillis();
        long last = clocks.getOrDefault(table, 0L);
        long next = Math.max(now, last + 1);
        clocks.put(table, next);
        return Timestamps.formatMillis(next);
    }

    private TreeMap<String, ObjectNode> table(String name) {
        return tables.computeIfAbsent(name.toLowerCase(java.util.Locale.ROOT), n -> new TreeMap<>());
    }

    private static ObjectNode body(RecordedRequest request) {
        if (request.getBody() == null || request.getBody().size() == 0) {
            return Json.object();
        }
        JsonNode node = Json.parse(request.getBody().utf8());
        return node.isObject() ? (ObjectNode) node : Json.object();
    }

    private MockResponse respond(int status, JsonNode body, ObjectNode etagOf) {
        MockResponse.Builder response = new MockResponse.Builder().code(status)
                .addHeader("Content-Type", "application/json");
        if (mode == Mode.NATIVE) {
            response.addHeader(OutpostHeaders.OUTPOST_SERVER, "0.1.0-fake");
        }
        JsonNode etagSource = etagOf != null ? etagOf : body;
        if (etagSource != null && etagSource.isObject() && etagSource.hasNonNull(SystemColumns.VERSION)) {
            response.addHeader("ETag", ETags.quote(etagSource.get(SystemColumns.VERSION).asText()));
        }
        if (body != null) {
            response.body(Json.write(body));
        }
        return response.build();
    }

    /** A tiny evaluator for the filters the tests use: comparisons of a property with a literal, and/or/not. */
    private static boolean matches(Filter filter, ObjectNode record) {
        if (filter == null) {
            return true;
        }
        if (filter instanceof Filter.And and) {
            return matches(and.left(), record) && matches(and.right(), record);
        }
        if (filter instanceof Filter.Or or) {
            return matches(or.left(), record) || matches(or.right(), record);
        }
        if (filter instanceof Filter.Not not) {
            return !matches(not.operand(), record);
        }
        if (filter instanceof Filter.Comparison c && c.left() instanceof Filter.Property p
                && c.right() instanceof Filter.Literal l) {
            JsonNode value = record.get(p.name());
            Object literal = l.value();
            if (literal instanceof Instant instant) {
                literal = Timestamps.format(instant);
            }
            JsonNode expected = Json.MAPPER.valueToTree(literal);
            if (c.operator() == ComparisonOperator.EQ) {
                return JsonValues.same(value, expected);
            }
            if (c.operator() == ComparisonOperator.NE) {
                return !JsonValues.same(value, expected);
            }
            if (value == null || value.isNull() || literal == null) {
                return false;
            }
            int cmp = value.isNumber() ? value.decimalValue().compareTo(expected.decimalValue())
                    : value.asText().compareTo(expected.asText());
            switch (c.operator()) {
                case GT: return cmp > 0;
                case GE: return cmp >= 0;
                case LT: return cmp < 0;
                default: return cmp <= 0;
            }
        }
        throw new IllegalArgumentException("the fake server cannot evaluate " + filter);
    }
}
