package dev.outpost.client.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.exception.AuthenticationException;
import dev.outpost.client.exception.NetworkException;
import dev.outpost.client.exception.ServerResponseException;
import dev.outpost.client.exception.ServerUnavailableException;
import dev.outpost.client.exception.UnexpectedAnswerException;
import dev.outpost.client.internal.json.Json;
import dev.outpost.protocol.ETags;
import dev.outpost.protocol.ErrorBody;
import dev.outpost.protocol.OutpostHeaders;
import dev.outpost.protocol.ProtocolVersion;
import dev.outpost.protocol.sync.ChangesPage;
import dev.outpost.protocol.sync.InvalidMessageException;
import dev.outpost.protocol.sync.PushRequest;
import dev.outpost.protocol.sync.PushResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The HTTP calls of the table protocols (v2/v3) and of Outpost's native extensions, on OkHttp. Transport failures
 * become {@link NetworkException}; answers, whatever their status, are returned as {@link HttpAnswer}s for the
 * caller to judge. Thread-safe and shared by everything made from one client.
 */
public final class TableApi {
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    private final OkHttpClient http;
    private final HttpUrl base;
    private final boolean nativeAllowed;
    private volatile ProtocolVersion dialect;
    /** Whether the dialect is settled: configured, or found by {@link #settleDialect} in auto mode. */
    private volatile boolean dialectSettled;
    private volatile Boolean nativeServer;
    private volatile boolean nativeMissing;

    /**
     * Calls on {@code http} to the server at {@code base}.
     *
     * @param dialect       the dialect of table requests (in auto mode, the one tried first)
     * @param auto          auto mode: use Outpost's native extensions once the server announces them, and find the
     *                      table dialect the server speaks ({@link #settleDialect})
     */
    public TableApi(OkHttpClient http, HttpUrl base, ProtocolVersion dialect, boolean auto) {
        this.http = http;
        this.base = base;
        this.dialect = dialect;
        this.nativeAllowed = auto;
        this.dialectSettled = !auto;
    }

    /** The server's base URL, as the client was given it. */
    public String baseUrl() {
        return base.toString();
    }

    /** The dialect of table requests. */
    public ProtocolVersion dialect() {
        return dialect;
    }

    /**
     * In auto mode, finds once which table dialect the server speaks: v3 unless the server refuses v3's API version
     * the way the official v2 servers do ({@code 400 "… needs to specify a ZUMO-API-VERSION of 2.0.0"}), then v2.
     * It asks with {@code GET /tables/{table}?$top=0} in v3; an Outpost server (which speaks both) is not asked.
     * Nothing happens once the dialect is settled (configured, found, or {@link #assumeDialect assumed}).
     *
     * @throws NetworkException if the server has to be asked and cannot be reached
     */
    public void settleDialect(String table) {
        if (dialectSettled) {
            return;
        }
        if (!useNative()) {
            HttpUrl url = tableUrl(table).addQueryParameter("$top", "0").build();
            HttpAnswer answer = execute("GET /tables/" + table, new Request.Builder().url(url)
                    .header(OutpostHeaders.ZUMO_API_VERSION, ProtocolVersion.V3.headerValue()).get().build());
            if (answer.isVersionRefusal() && answer.error().error().contains("2.0")) {
                dialect = ProtocolVersion.V2;
            }
        }
        dialectSettled = true;
    }

    /** Whether the dialect is settled (so that {@link #dialect()} is the server's). */
    public boolean isDialectSettled() {
        return dialectSettled;
    }

    /** In auto mode, takes {@code known} as the server's dialect without asking (what an earlier run found). */
    public void assumeDialect(ProtocolVersion known) {
        if (nativeAllowed && !dialectSettled) {
            dialect = known;
            dialectSettled = true;
        }
    }

    /**
     * In auto mode, forgets the settled dialect (the server refused it after all, say after an upgrade): the next
     * {@link #settleDialect} asks again.
     */
    public void unsettleDialect() {
        if (nativeAllowed) {
            dialect = ProtocolVersion.V3;
            dialectSettled = false;
        }
    }

    /** Whether the client may use Outpost's native extensions (auto mode): a v2/v3 client never does. */
    public boolean nativeAllowed() {
        return nativeAllowed;
    }

    /**
     * The call that opens {@code GET /outpost/v1/events?tables=…}, resuming after {@code lastEventId} when it is not
     * {@code null}. It runs with no call timeout (the stream stays open) and fails when nothing, not even a
     * keepalive, arrives for {@code idleTimeout}. The caller executes it and reads the events.
     */
    public Call events(List<String> tables, String lastEventId, Duration idleTimeout) {
        HttpUrl url = base.newBuilder().addPathSegments("outpost/v1/events")
                .addQueryParameter("tables", String.join(",", tables)).build();
        Request.Builder request = new Request.Builder().url(url).get().header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        OkHttpClient streaming = http.newBuilder().callTimeout(Duration.ZERO).readTimeout(idleTimeout).build();
        return streaming.newCall(request.build());
    }

    /**
     * Executes an {@link #events} call: its response when the server answered 200 (the caller reads the events and
     * closes it).
     *
     * @throws NetworkException           if the server cannot be reached (or the call was cancelled)
     * @throws NativeUnavailableException if the server does not serve the change events
     * @throws ServerResponseException    if the server refused the request ({@link #failure})
     */
    public static Response openEvents(Call call) {
        String what = "GET /outpost/v1/events";
        try {
            Response response = call.execute();
            if (response.isSuccessful()) {
                return response;
            }
            try (response) {
                HttpAnswer answer = HttpAnswer.read(response);
                if (NativeUnavailableException.isMissingEndpoint(answer)) {
                    throw new NativeUnavailableException(what);
                }
                throw failure(what, answer);
            }
        } catch (IOException e) {
            throw new NetworkException(what, e);
        }
    }

    /** Records that a response announced an Outpost server. Called by the client's network interceptor. */
    public void sawOutpostServer() {
        if (!nativeMissing) {
            nativeServer = Boolean.TRUE;
        }
    }

    /** Records that the server lacks the native endpoints despite announcing itself: use v3 from now on. */
    public void nativeUnavailable() {
        nativeMissing = true;
        nativeServer = Boolean.FALSE;
    }

    /**
     * Whether to use the native extensions: only when allowed, once the server announced itself (asking
     * {@code GET /health} the first time if no answer has told yet).
     *
     * @throws NetworkException if the server has to be asked and cannot be reached
     */
    public boolean useNative() {
        if (!nativeAllowed) {
            return false;
        }
        Boolean known = nativeServer;
        if (known != null) {
            return known;
        }
        HttpAnswer answer = execute("GET /health", new Request.Builder().url(base.resolve("health")).get().build());
        if (nativeServer == null) {
            nativeServer = Boolean.FALSE;
        }
        return nativeServer;
    }

    /** {@code GET /tables/{table}/{id}}. */
    public HttpAnswer read(String table, String id, boolean includeDeleted) {
        HttpUrl.Builder url = tableUrl(table).addPathSegment(id);
        if (includeDeleted) {
            url.addQueryParameter(OutpostHeaders.INCLUDE_DELETED, "true");
        }
        return execute("GET /tables/" + table + "/" + id, tableRequest(url.build()).get().build());
    }

    /** {@code POST /tables/{table}}. */
    public HttpAnswer insert(String table, ObjectNode record) {
        return execute("POST /tables/" + table, tableRequest(tableUrl(table).build()).post(body(record)).build());
    }

    /** {@code PATCH} (v2) or {@code PUT} (v3) {@code /tables/{table}/{id}}, with {@code If-Match} when versioned. */
    public HttpAnswer update(String table, String id, ObjectNode record, String version) {
        Request.Builder request = tableRequest(tableUrl(table).addPathSegment(id).build());
        if (version != null) {
            request.header("If-Match", ETags.quote(version));
        }
        String method = dialect() == ProtocolVersion.V2 ? "PATCH" : "PUT";
        request.method(method, body(record));
        return execute(method + " /tables/" + table + "/" + id, request.build());
    }

    /** {@code DELETE /tables/{table}/{id}}, with {@code If-Match} when versioned. */
    public HttpAnswer delete(String table, String id, String version) {
        Request.Builder request = tableRequest(tableUrl(table).addPathSegment(id).build()).delete();
        if (version != null) {
            request.header("If-Match", ETags.quote(version));
        }
        return execute("DELETE /tables/" + table + "/" + id, request.build());
    }

    /**
     * {@code GET /tables/{table}?…} with the given (unencoded) query parameters: the page it answers.
     *
     * @throws NetworkException        if the server cannot be reached
     * @throws AuthenticationException on 401
     * @throws ServerResponseException on any other error status
     */
    public QueryPage query(String table, Map<String, String> parameters) {
        String what = "query of " + table;
        HttpAnswer answer = execute(what, queryRequest(table, parameters));
        return page(what, answer);
    }

    /**
     * {@link #query} asynchronously, so that a pull can fetch the next page while it writes this one. The future
     * fails as {@link #query} throws.
     */
    public CompletableFuture<QueryPage> queryAsync(String table, Map<String, String> parameters) {
        String what = "query of " + table;
        return enqueue(what, queryRequest(table, parameters),
                response -> page(what, noted(HttpAnswer.read(response))));
    }

    private Request queryRequest(String table, Map<String, String> parameters) {
        HttpUrl.Builder url = tableUrl(table);
        parameters.forEach(url::addQueryParameter);
        return tableRequest(url.build()).get().build();
    }

    /** Notes what an answer says of the dialect: a refusal of it unsettles it (the next request asks again). */
    private HttpAnswer noted(HttpAnswer answer) {
        if (answer.isVersionRefusal()) {
            unsettleDialect();
        }
        return answer;
    }

    private static QueryPage page(String what, HttpAnswer answer) {
        if (!answer.isSuccessful() || answer.notJson()) {
            throw failure(what, answer);
        }
        return QueryPage.of(answer.body(), answer.horizon(), answer.serverTime());
    }

    /**
     * {@code POST /outpost/v1/push} of a batch already written as JSON ({@link PushRequest#toBytes()}), its answer
     * read as it streams in.
     *
     * @throws NetworkException            if the answer does not arrive
     * @throws ServerResponseException     if the request fails as a whole ({@link #failure}); a 400 or 413 of
     *                                     the whole batch is answered as {@link PushAnswer.Refused} instead
     * @throws NativeUnavailableException  if the server does not serve the endpoint
     */
    public PushAnswer nativePush(byte[] batch) {
        return nativePush(batch, -1);
    }

    /**
     * {@link #nativePush(byte[])} telling the server in {@code X-Outpost-Queue-Depth} how many operations the queue
     * holds ({@code queueDepth}; -1 sends no header).
     */
    public PushAnswer nativePush(byte[] batch, long queueDepth) {
        String what = "POST /outpost/v1/push";
        HttpUrl url = base.newBuilder().addPathSegments("outpost/v1/push").build();
        Request.Builder builder = new Request.Builder().url(url).post(RequestBody.create(batch, JSON));
        if (queueDepth >= 0) {
            builder.header(OutpostHeaders.QUEUE_DEPTH, Long.toString(queueDepth));
        }
        Request request = builder.build();
        try (Response response = http.newCall(request).execute()) {
            if (!response.isSuccessful()) {
                HttpAnswer answer = HttpAnswer.read(response);
                if (NativeUnavailableException.isMissingEndpoint(answer)) {
                    throw new NativeUnavailableException(what);
                }
                if ((answer.status() == 400 || answer.status() == 413) && !answer.notJson()) {
                    return new PushAnswer.Refused(answer.status(), answer.error());
                }
                throw failure(what, answer);
            }
            try {
                return new PushAnswer.Results(PushResponse.read(response.body().byteStream()));
            } catch (InvalidMessageException e) {
                throw new UnexpectedAnswerException(what, response.code(), ErrorBody.of("notProtocol",
                        e.getMessage()));
            }
        } catch (IOException e) {
            throw new NetworkException(what, e);
        }
    }

    /**
     * {@code GET /outpost/v1/tables/{table}/changes}, asynchronously, parsing the page as it streams in.
     * The future fails with {@link NetworkException}, {@link AuthenticationException},
     * {@link ServerResponseException}, or {@link CursorExpiredException} when the cursor is older than the server's
     * tombstone horizon.
     */
    public CompletableFuture<ChangesPage> changes(String table, String filter, String cursor, int limit) {
        HttpUrl.Builder url = base.newBuilder().addPathSegments("outpost/v1/tables").addPathSegment(table)
                .addPathSegment("changes");
        if (filter != null) {
            url.addQueryParameter("$filter", filter);
        }
        if (cursor != null) {
            url.addQueryParameter("cursor", cursor);
        }
        url.addQueryParameter("limit", Integer.toString(limit));
        String what = "GET /outpost/v1/tables/" + table + "/changes";
        return enqueue(what, new Request.Builder().url(url.build()).get().build(), response -> {
            if (!response.isSuccessful()) {
                HttpAnswer answer = HttpAnswer.read(response);
                if (answer.status() == 410 && "cursorExpired".equals(answer.error().code())) {
                    throw new CursorExpiredException(what, answer.error().error());
                }
                throw NativeUnavailableException.isMissingEndpoint(answer) ? new NativeUnavailableException(what)
                        : failure(what, answer);
            }
            try {
                return ChangesPage.read(response.body().byteStream());
            } catch (InvalidMessageException e) {
                throw new UnexpectedAnswerException(what, response.code(), ErrorBody.of("notProtocol",
                        e.getMessage()));
            }
        });
    }

    /** Reads a response into what a call answers; an {@link IOException} is a network failure. */
    @FunctionalInterface
    private interface Reading<T> {
        T read(Response response) throws IOException;
    }

    /**
     * Runs {@code request} on OkHttp's dispatcher and reads its answer there, so that the caller can work meanwhile.
     * The future fails with {@link NetworkException} for a network failure and with what {@code reading} throws;
     * cancelling it cancels the call.
     */
    private <T> CompletableFuture<T> enqueue(String what, Request request, Reading<T> reading) {
        CompletableFuture<T> future = new CompletableFuture<>();
        Call call = http.newCall(request);
        call.enqueue(new Callback() {
            @Override
            public void onFailure(Call c, IOException e) {
                future.completeExceptionally(new NetworkException(what, e));
            }

            @Override
            public void onResponse(Call c, Response response) {
                try (response) {
                    future.complete(reading.read(response));
                } catch (IOException e) {
                    future.completeExceptionally(new NetworkException(what, e));
                } catch (RuntimeException e) {
                    future.completeExceptionally(e);
                }
            }
        });
        future.whenComplete((result, error) -> {
            if (future.isCancelled()) {
                call.cancel();
            }
        });
        return future;
    }

    /**
     * The exception for an answer that fails a request as a whole: {@link AuthenticationException} for 401,
     * {@link ServerUnavailableException} for 5xx, 408 and 429 (with its {@code Retry-After}),
     * {@link UnexpectedAnswerException} for an answer that is not JSON, {@link ServerResponseException} otherwise.
     */
    public static ServerResponseException failure(String what, HttpAnswer answer) {
        ErrorBody error = answer.error();
        if (answer.status() == 401) {
            return new AuthenticationException(what, error);
        }
        if (answer.isServerFailure()) {
            return new ServerUnavailableException(what, answer.status(), error, answer.retryAfter());
        }
        if (answer.notJson()) {
            return new UnexpectedAnswerException(what, answer.status(), error);
        }
        return new ServerResponseException(what, answer.status(), error);
    }

    private HttpUrl.Builder tableUrl(String table) {
        return base.newBuilder().addPathSegment("tables").addPathSegment(table);
    }

    private Request.Builder tableRequest(HttpUrl url) {
        return new Request.Builder().url(url).header(OutpostHeaders.ZUMO_API_VERSION, dialect().headerValue());
    }

    private static RequestBody body(JsonNode json) {
        return RequestBody.create(Json.bytes(json), JSON);
    }

    private HttpAnswer execute(String what, Request request) {
        try (Response response = http.newCall(request).execute()) {
            return noted(HttpAnswer.read(response));
        } catch (IOException e) {
            throw new NetworkException(what, e);
        }
    }
}
