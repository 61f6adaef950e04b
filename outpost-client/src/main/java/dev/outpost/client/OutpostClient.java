package dev.outpost.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.exception.NetworkException;
import dev.outpost.client.internal.http.NoDelaySocketFactory;
import dev.outpost.client.internal.http.TableApi;
import dev.outpost.client.internal.json.RecordMapper;
import dev.outpost.client.store.LocalStore;
import dev.outpost.client.sync.ConflictHandler;
import dev.outpost.client.sync.SyncListener;
import dev.outpost.protocol.OutpostHeaders;
import dev.outpost.protocol.ProtocolVersion;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The entry point of the Outpost client: one server, its protocol, the HTTP client underneath and the auth token.
 * Immutable; build one with {@link #builder()}, derive variants with {@link #newBuilder()}.
 *
 * <h2>Share one</h2>
 * A client holds OkHttp's connection pool and threads. Make one per server and share it across the app:
 * <pre>{@code
 * OutpostClient client = OutpostClient.builder()
 *         .baseUrl("https://todo.example.com")
 *         .authToken(() -> session.token())
 *         .build();
 * RemoteTable<ObjectNode> online = client.getTable("todoitem");
 * SyncContext sync = client.newSyncContext(SqliteLocalStore.open(dataDir.resolve("todo.db")),
 *         ConflictHandlers.threeWayMerge());
 * }</pre>
 *
 * <h2>Offline</h2>
 * {@link RemoteTable} calls need the server and throw {@link NetworkException} without it. The
 * {@link SyncContext}'s tables work with no network at all; only push and pull need the server.
 *
 * <h2>Headers</h2>
 * Every request carries {@code ZUMO-API-VERSION} (table routes), {@code X-ZUMO-INSTALLATION-ID},
 * {@code X-ZUMO-VERSION} and a {@code User-Agent}, as the official clients send them, and the auth token as
 * {@code X-ZUMO-AUTH} and {@code Authorization: Bearer} when a {@link TokenProvider} gives one.
 *
 * <h2>Retries</h2>
 * OkHttp's silent {@code retryOnConnectionFailure} is turned off: a request whose answer was lost fails with
 * {@link NetworkException}, and the sync engine's own logic re-sends and recognises operations that were applied.
 *
 * <p>Thread-safe.
 */
public final class OutpostClient {
    /** The SDK version sent in {@code X-ZUMO-VERSION}. */
    public static final String VERSION = "0.1.0";

    private final HttpUrl baseUrl;
    private final Protocol protocol;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration callTimeout;
    private final TokenProvider tokenProvider;
    private final String installationId;
    private final OkHttpClient baseHttpClient;
    private final TableApi api;

    private OutpostClient(Builder builder) {
        this.baseUrl = builder.baseUrl;
        this.protocol = builder.protocol;
        this.connectTimeout = builder.connectTimeout;
        this.readTimeout = builder.readTimeout;
        this.callTimeout = builder.callTimeout;
        this.tokenProvider = builder.tokenProvider;
        this.installationId = builder.installationId;
        this.baseHttpClient = builder.httpClient;
        TableApi[] self = new TableApi[1];
        OkHttpClient base = baseHttpClient == null ? new OkHttpClient() : baseHttpClient;
        OkHttpClient http = base.newBuilder()
                .socketFactory(new NoDelaySocketFactory(base.socketFactory()))
                .retryOnConnectionFailure(false)
                .connectTimeout(connectTimeout)
                .readTimeout(readTimeout)
                .writeTimeout(readTimeout)
                .callTimeout(callTimeout)
                .addInterceptor(chain -> chain.proceed(decorate(chain.request())))
                .authenticator((route, response) -> refreshed(response))
                .addNetworkInterceptor(chain -> {
                    Response response = chain.proceed(chain.request());
                    if (response.header(OutpostHeaders.OUTPOST_SERVER) != null) {
                        self[0].sawOutpostServer();
                    }
                    return response;
                })
                .build();
        this.api = new TableApi(http, baseUrl, protocol == Protocol.V2 ? ProtocolVersion.V2 : ProtocolVersion.V3,
                protocol == Protocol.AUTO);
        self[0] = api;
    }

    private Request decorate(Request request) {
        Request.Builder builder = request.newBuilder()
                .header(OutpostHeaders.ZUMO_INSTALLATION_ID, installationId)
                .header(OutpostHeaders.ZUMO_VERSION, "ZUMO/2.0 (lang=Java; os=" + System.getProperty("os.name", "-")
                        + "; version=" + VERSION + ")")
                .header("User-Agent", "outpost-client/" + VERSION);
        if (request.header("Accept") == null) {
            // The change events ask for text/event-stream; every other call wants JSON.
            builder.header("Accept", "application/json");
        }
        String token = tokenProvider == null ? null : tokenProvider.token();
        if (token != null && !token.isEmpty()) {
            builder.header(OutpostHeaders.ZUMO_AUTH, token).header("Authorization", "Bearer " + token);
        }
        return builder.build();
    }

    /**
     * After a 401: the request once more with the token provider's refreshed token, or {@code null} (the 401
     * stands) when there is no provider, this was already the retry, or the provider has no other token.
     */
    private Request refreshed(Response response) {
        if (tokenProvider == null || response.priorResponse() != null) {
            return null;
        }
        String fresh = tokenProvider.refreshedToken();
        String sent = response.request().header(OutpostHeaders.ZUMO_AUTH);
        if (fresh == null || fresh.isEmpty() || fresh.equals(sent)) {
            return null;
        }
        return response.request().newBuilder().header(OutpostHeaders.ZUMO_AUTH, fresh)
                .header("Authorization", "Bearer " + fresh).build();
    }

    /** The subject of the current token, or {@code null}: whose data a sync context's store holds. */
    private String user() {
        return tokenProvider == null ? null : Tokens.subject(tokenProvider.token()).orElse(null);
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this client's settings. */
    public Builder newBuilder() {
        return new Builder(this);
    }

    /** The server's base URL. */
    public String baseUrl() {
        return baseUrl.toString();
    }

    /** The protocol setting. */
    public Protocol protocol() {
        return protocol;
    }

    /** The installation id sent in {@code X-ZUMO-INSTALLATION-ID}. */
    public String installationId() {
        return installationId;
    }

    /** The online table {@code name}, with records as JSON objects. */
    public RemoteTable<ObjectNode> getTable(String name) {
        return new RemoteTable<>(api, name, RecordMapper.json());
    }

    /** The online table {@code name}, with records mapped to {@code type} (a plain class or a record). */
    public <T> RemoteTable<T> getTable(String name, Class<T> type) {
        return new RemoteTable<>(api, name, RecordMapper.of(type));
    }

    /**
     * A sync context over {@code store}, ready to use, with no listener.
     *
     * @see #newSyncContext(LocalStore, ConflictHandler, SyncListener)
     */
    public SyncContext newSyncContext(LocalStore store, ConflictHandler handler) {
        return newSyncContext(store, handler, SyncListener.NONE);
    }

    /**
     * A sync context over {@code store}, ready to use: Outpost's system tables are created in the store if needed,
     * and operations queued in an earlier run are picked up as they were. The context takes the store over (give
     * each store to one context) and closes it when it is closed.
     *
     * @param handler  decides the conflicts met during a push
     * @param listener hears how pushes and pulls progress
     * @throws dev.outpost.client.exception.LocalStoreException if the store cannot be prepared
     */
    public SyncContext newSyncContext(LocalStore store, ConflictHandler handler, SyncListener listener) {
        return new SyncContext(api, store, handler, listener, this::user);
    }

    /** Builds an {@link OutpostClient}. Not thread-safe. */
    public static final class Builder {
        private HttpUrl baseUrl;
        private Protocol protocol = Protocol.AUTO;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(30);
        private Duration callTimeout = Duration.ZERO;
        private TokenProvider tokenProvider;
        private String installationId = UUID.randomUUID().toString();
        private OkHttpClient httpClient;

        private Builder() {
        }

        private Builder(OutpostClient client) {
            this.baseUrl = client.baseUrl;
            this.protocol = client.protocol;
            this.connectTimeout = client.connectTimeout;
            this.readTimeout = client.readTimeout;
            this.callTimeout = client.callTimeout;
            this.tokenProvider = client.tokenProvider;
            this.installationId = client.installationId;
            this.httpClient = client.baseHttpClient;
        }

        /**
         * The server's base URL, e.g. {@code https://todo.example.com} (tables live under {@code /tables}).
         *
         * @throws IllegalArgumentException if it is not an http or https URL
         */
        public Builder baseUrl(String url) {
            HttpUrl parsed = HttpUrl.parse(Objects.requireNonNull(url, "url"));
            if (parsed == null) {
                throw new IllegalArgumentException("not an http(s) URL: '" + url + "'");
            }
            if (!parsed.encodedPath().endsWith("/")) {
                parsed = parsed.newBuilder().addPathSegment("").build();
            }
            this.baseUrl = parsed;
            return this;
        }

        /** The protocol: {@link Protocol#AUTO} (default), {@link Protocol#V2} or {@link Protocol#V3}. */
        public Builder protocol(Protocol protocol) {
            this.protocol = Objects.requireNonNull(protocol, "protocol");
            return this;
        }

        /** How long to wait for a connection (default 10 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = requireNotNegative(timeout, "connectTimeout");
            return this;
        }

        /** How long to wait for data on an open connection (default 30 s). */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = requireNotNegative(timeout, "readTimeout");
            return this;
        }

        /** How long one whole call may take, or zero for no limit (the default). */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = requireNotNegative(timeout, "callTimeout");
            return this;
        }

        /** Where the auth token comes from ({@code null} for none). */
        public Builder authToken(TokenProvider provider) {
            this.tokenProvider = provider;
            return this;
        }

        /**
         * The installation id to send (default: a random UUID per builder). Persist it to keep it across runs.
         *
         * @throws IllegalArgumentException if it is blank
         */
        public Builder installationId(String id) {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("installation id must not be blank");
            }
            this.installationId = id;
            return this;
        }

        /**
         * An OkHttp client to derive from (to share its connection pool and dispatcher, or add interceptors).
         * Its timeouts and retry setting are overridden by this builder's.
         */
        public Builder httpClient(OkHttpClient client) {
            this.httpClient = client;
            return this;
        }

        /**
         * The client.
         *
         * @throws IllegalStateException if no base URL was given
         */
        public OutpostClient build() {
            if (baseUrl == null) {
                throw new IllegalStateException("OutpostClient needs a base URL: call baseUrl(…) first");
            }
            return new OutpostClient(this);
        }

        private static Duration requireNotNegative(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative: " + duration);
            }
            return duration;
        }
    }
}
