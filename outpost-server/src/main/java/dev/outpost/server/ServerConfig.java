package dev.outpost.server;

import dev.outpost.server.internal.auth.SigningKeys;
import dev.outpost.server.internal.auth.TableAccess;
import dev.outpost.server.internal.auth.TokenVerifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings of an {@link OutpostServer}. Immutable and thread-safe; build one with {@link #builder()} and derive
 * variants with {@link #newBuilder()}.
 *
 * <pre>{@code
 * ServerConfig config = ServerConfig.builder()
 *         .port(8080)
 *         .database("jdbc:postgresql://127.0.0.1:5432/outpost?user=outpost")
 *         .build();
 * }</pre>
 */
public final class ServerConfig {
    /** The default database: a SQLite file under {@code ./outpost-data/}. */
    public static final String DEFAULT_DATABASE = "jdbc:sqlite:outpost-data/outpost.db";
    /** {@link #metricsPort()} when {@code /metrics} is served on {@link #port()} with the rest. */
    public static final int SAME_PORT = -1;

    private final String host;
    private final int port;
    private final String database;
    private final Path tablesFile;
    private final boolean strictVersion;
    private final int maxTop;
    private final int maxDynamicTables;
    private final long maxBody;
    private final int pageSizeV2;
    private final int pageSizeV3;
    private final Duration tombstoneRetention;
    private final Duration purgeInterval;
    private final int maxBatchOperations;
    private final long maxBatchBody;
    private final int poolSize;
    private final Duration shutdownTimeout;
    private final Duration eventsKeepAlive;
    private final int metricsPort;
    private final Duration installationExpiry;
    private final boolean unsafeDisableTableClock;
    private final byte[] authSecret;
    private final String authIssuer;
    private final String authAudience;
    private final String authJwks;
    private final Duration authJwksRefetchInterval;
    private final List<AuthProvider> authProviders;
    private final String dynamicAccess;

    private ServerConfig(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.database = b.database;
        this.tablesFile = b.tablesFile;
        this.strictVersion = b.strictVersion;
        this.maxTop = b.maxTop;
        this.maxDynamicTables = b.maxDynamicTables;
        this.maxBody = b.maxBody;
        this.pageSizeV2 = b.pageSizeV2;
        this.pageSizeV3 = b.pageSizeV3;
        this.tombstoneRetention = b.tombstoneRetention;
        this.purgeInterval = b.purgeInterval;
        this.maxBatchOperations = b.maxBatchOperations;
        this.maxBatchBody = b.maxBatchBody;
        this.poolSize = b.poolSize;
        this.shutdownTimeout = b.shutdownTimeout;
        this.eventsKeepAlive = b.eventsKeepAlive;
        this.metricsPort = b.metricsPort;
        this.installationExpiry = b.installationExpiry;
        this.unsafeDisableTableClock = b.unsafeDisableTableClock;
        this.authSecret = b.authSecret == null ? null : b.authSecret.clone();
        this.authIssuer = b.authIssuer;
        this.authAudience = b.authAudience;
        this.authJwks = b.authJwks;
        this.authJwksRefetchInterval = b.authJwksRefetchInterval;
        this.authProviders = List.copyOf(b.authProviders);
        this.dynamicAccess = b.dynamicAccess;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this configuration. */
    public Builder newBuilder() {
        return new Builder(this);
    }

    /** The address to listen on (default {@code 127.0.0.1}). */
    public String host() {
        return host;
    }

    /** The port to listen on (default 8080; 0 picks a free port). */
    public int port() {
        return port;
    }

    /** The JDBC URL of the database (default {@link #DEFAULT_DATABASE}). */
    public String database() {
        return database;
    }

    /** The tables file, or {@code null} for the dynamic schema. */
    public Path tablesFile() {
        return tablesFile;
    }

    /** Whether a request without {@code ZUMO-API-VERSION} is refused (400) instead of treated as v3. */
    public boolean strictVersion() {
        return strictVersion;
    }

    /** The largest {@code $top} accepted (default 1000). */
    public int maxTop() {
        return maxTop;
    }

    /**
     * The most tables the dynamic schema creates (default 100): a first insert into a new table when the database
     * holds this many tables is a 400. Counted in the database, so it holds across replicas.
     */
    public int maxDynamicTables() {
        return maxDynamicTables;
    }

    /** The largest request body in bytes (default 1 MiB). */
    public long maxBody() {
        return maxBody;
    }

    /** The page size of v2 queries without {@code $top} (default 50). */
    public int pageSizeV2() {
        return pageSizeV2;
    }

    /** The page size of v3 queries without {@code $top} (default 100). */
    public int pageSizeV3() {
        return pageSizeV3;
    }

    /** How long tombstones are kept before they are purged (default 30 days; zero keeps them forever). */
    public Duration tombstoneRetention() {
        return tombstoneRetention;
    }

    /** How often tombstones are purged (default one hour). */
    public Duration purgeInterval() {
        return purgeInterval;
    }

    /** The most operations in one batch push (default 1000). */
    public int maxBatchOperations() {
        return maxBatchOperations;
    }

    /** The largest batch push body in bytes (default 16 MiB). */
    public long maxBatchBody() {
        return maxBatchBody;
    }

    /** The most database connections, or 0 for the database's default (SQLite 8, PostgreSQL 40). */
    public int poolSize() {
        return poolSize;
    }

    /** How long {@link OutpostServer#stop()} waits for in-flight requests to finish (default 30 seconds). */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /** How often an idle change-event stream gets a keep-alive comment (default 15 seconds). */
    public Duration eventsKeepAlive() {
        return eventsKeepAlive;
    }

    /**
     * The port {@code GET /metrics} is served on, alone, or {@link #SAME_PORT} (default) to serve it with the rest
     * on {@link #port()}; 0 picks a free one ({@link OutpostServer#metricsPort()} says which).
     */
    public int metricsPort() {
        return metricsPort;
    }

    /**
     * How long an installation not seen is kept in the fleet before it expires (default 30 days; zero keeps them
     * forever); expired ones are removed by the purge, every {@link #purgeInterval()}.
     */
    public Duration installationExpiry() {
        return installationExpiry;
    }

    /**
     * Whether the table clock is disabled: UNSAFE, for tests that show what it prevents (see
     * {@link Builder#unsafeDisableTableClock}).
     */
    public boolean unsafeDisableTableClock() {
        return unsafeDisableTableClock;
    }

    /**
     * The HS256 secret that signs sign-in tokens, or {@code null}. Without a secret and without
     * {@link #authJwks()} the server has no identity: every table is open to everyone.
     */
    public byte[] authSecret() {
        return authSecret == null ? null : authSecret.clone();
    }

    /**
     * Where the public keys that verify RS256 and ES256 sign-in tokens come from: a JWKS file or an {@code http(s)}
     * URL, or {@code null} for none.
     */
    public String authJwks() {
        return authJwks;
    }

    /**
     * The shortest time between two reads of a JWKS (default 30 seconds): a token with an unknown {@code kid}
     * makes the set be read again, at most this often.
     */
    public Duration authJwksRefetchInterval() {
        return authJwksRefetchInterval;
    }

    /** The sign-in providers whose tokens {@code POST /.auth/login/{name}} exchanges for Outpost tokens. */
    public List<AuthProvider> authProviders() {
        return authProviders;
    }

    /** Whether the server verifies sign-in tokens: it has a secret, JWKS keys or both. */
    public boolean hasIdentity() {
        return authSecret != null || authJwks != null;
    }

    /** The {@code iss} a token must have, or {@code null} for any. */
    public String authIssuer() {
        return authIssuer;
    }

    /** The {@code aud} a token must have, or {@code null} for any. */
    public String authAudience() {
        return authAudience;
    }

    /** The dynamic access under which every dynamic table is a per-user table. */
    public static final String PER_USER = "per-user";

    /**
     * The access rule of tables the dynamic schema makes ({@code anonymous}, {@code authenticated},
     * {@code per-user}, {@code disabled} or {@code role:NAME}): as set, or {@code authenticated} with identity and
     * {@code anonymous} without.
     */
    public String dynamicAccess() {
        return dynamicAccess != null ? dynamicAccess : hasIdentity() ? "authenticated" : "anonymous";
    }

    /**
     * A sign-in provider (an OpenID Connect identity provider, say) whose tokens the server exchanges for its own:
     * {@code POST /.auth/login/{name}} verifies the provider's token (RS256 or ES256) with the provider's keys and
     * issuer (and audience, when given). Immutable.
     *
     * @param name     the name in the route, lower-case letters, digits, {@code -} and {@code _} (such as
     *                 {@code google} or {@code aad}; upper-case is folded, as the official clients do)
     * @param issuer   the {@code iss} the provider's tokens have
     * @param keys     the provider's JWKS: an {@code http(s)} URL or a file
     * @param audience the {@code aud} the provider's tokens must have (the app's client id), or {@code null} for
     *                 any
     */
    public record AuthProvider(String name, String issuer, String keys, String audience) {
        private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

        /**
         * @throws IllegalArgumentException if the name is not a valid one, or the issuer or keys are blank
         */
        public AuthProvider {
            name = Objects.requireNonNull(name, "name").strip().toLowerCase(Locale.ROOT);
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("sign-in provider name '" + name + "' is not valid: use letters, "
                        + "digits, '-' and '_'");
            }
            if (issuer == null || issuer.isBlank() || keys == null || keys.isBlank()) {
                throw new IllegalArgumentException("sign-in provider '" + name + "' needs an issuer and a JWKS URL or "
                        + "file");
            }
            issuer = issuer.strip();
            keys = keys.strip();
            audience = audience == null || audience.isBlank() ? null : audience.strip();
        }

        /**
         * A provider from its command-line form {@code NAME=ISSUER,JWKS-URL-OR-FILE[,AUDIENCE]}.
         *
         * @throws IllegalArgumentException if {@code spec} does not have that form
         */
        public static AuthProvider parse(String spec) {
            int equals = spec.indexOf('=');
            String[] parts = equals < 0 ? new String[0] : spec.substring(equals + 1).split(",", 3);
            if (parts.length < 2) {
                throw new IllegalArgumentException("--auth-provider must be NAME=ISSUER,JWKS-URL-OR-FILE[,AUDIENCE], "
                        + "not '" + spec + "'");
            }
            return new AuthProvider(spec.substring(0, equals), parts[0], parts[1], parts.length > 2 ? parts[2] : null);
        }
    }

    /** Builds a {@link ServerConfig}. Not thread-safe. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8080;
        private String database = DEFAULT_DATABASE;
        private Path tablesFile;
        private boolean strictVersion;
        private int maxTop = 1000;
        private int maxDynamicTables = 100;
        private long maxBody = 1024 * 1024;
        private int pageSizeV2 = 50;
        private int pageSizeV3 = 100;
        private Duration tombstoneRetention = Duration.ofDays(30);
        private Duration purgeInterval = Duration.ofHours(1);
        private int maxBatchOperations = 1000;
        private byte[] authSecret;
        private String authIssuer;
        private String authAudience;
        private String authJwks;
        private Duration authJwksRefetchInterval = SigningKeys.DEFAULT_REFETCH_INTERVAL;
        private List<AuthProvider> authProviders = new ArrayList<>();
        private String dynamicAccess;
        private long maxBatchBody = 16L * 1024 * 1024;
        private int poolSize;
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private Duration eventsKeepAlive = Duration.ofSeconds(15);
        private int metricsPort = SAME_PORT;
        private Duration installationExpiry = Duration.ofDays(30);
        private boolean unsafeDisableTableClock;

        private Builder() {
        }

        private Builder(ServerConfig c) {
            host = c.host;
            port = c.port;
            database = c.database;
            tablesFile = c.tablesFile;
            strictVersion = c.strictVersion;
            maxTop = c.maxTop;
            maxDynamicTables = c.maxDynamicTables;
            maxBody = c.maxBody;
            pageSizeV2 = c.pageSizeV2;
            pageSizeV3 = c.pageSizeV3;
            tombstoneRetention = c.tombstoneRetention;
            purgeInterval = c.purgeInterval;
            maxBatchOperations = c.maxBatchOperations;
            maxBatchBody = c.maxBatchBody;
            poolSize = c.poolSize;
            shutdownTimeout = c.shutdownTimeout;
            eventsKeepAlive = c.eventsKeepAlive;
            metricsPort = c.metricsPort;
            installationExpiry = c.installationExpiry;
            unsafeDisableTableClock = c.unsafeDisableTableClock;
            authSecret = c.authSecret == null ? null : c.authSecret.clone();
            authIssuer = c.authIssuer;
            authAudience = c.authAudience;
            authJwks = c.authJwks;
            authJwksRefetchInterval = c.authJwksRefetchInterval;
            authProviders = new ArrayList<>(c.authProviders);
            dynamicAccess = c.dynamicAccess;
        }

        /** Sets the listen address. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** Sets the port (0 for a free one). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Sets the JDBC URL of the database. */
        public Builder database(String jdbcUrl) {
            this.database = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            return this;
        }

        /** Sets the tables file ({@code null} for the dynamic schema). */
        public Builder tablesFile(Path tablesFile) {
            this.tablesFile = tablesFile;
            return this;
        }

        /** Refuses requests without {@code ZUMO-API-VERSION}. */
        public Builder strictVersion(boolean strictVersion) {
            this.strictVersion = strictVersion;
            return this;
        }

        /** Sets the largest {@code $top}. */
        public Builder maxTop(int maxTop) {
            this.maxTop = maxTop;
            return this;
        }

        /** Sets the most tables the dynamic schema creates. */
        public Builder maxDynamicTables(int maxDynamicTables) {
            this.maxDynamicTables = maxDynamicTables;
            return this;
        }

        /** Sets the largest request body in bytes. */
        public Builder maxBody(long maxBody) {
            this.maxBody = maxBody;
            return this;
        }

        /** Sets the v2 default page size. */
        public Builder pageSizeV2(int pageSize) {
            this.pageSizeV2 = pageSize;
            return this;
        }

        /** Sets the v3 default page size. */
        public Builder pageSizeV3(int pageSize) {
            this.pageSizeV3 = pageSize;
            return this;
        }

        /** Sets how long tombstones are kept (zero: forever). */
        public Builder tombstoneRetention(Duration retention) {
            this.tombstoneRetention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        /** Sets how often tombstones are purged. */
        public Builder purgeInterval(Duration interval) {
            this.purgeInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** Sets the most operations in one batch push. */
        public Builder maxBatchOperations(int max) {
            this.maxBatchOperations = max;
            return this;
        }

        /** Sets the largest batch push body in bytes. */
        public Builder maxBatchBody(long max) {
            this.maxBatchBody = max;
            return this;
        }

        /** Sets the most database connections (0: the database's default). */
        public Builder poolSize(int poolSize) {
            this.poolSize = poolSize;
            return this;
        }

        /** Sets how long stopping waits for in-flight requests (zero: no waiting). */
        public Builder shutdownTimeout(Duration timeout) {
            this.shutdownTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Sets how often an idle change-event stream gets a keep-alive comment (at least 10 ms). */
        public Builder eventsKeepAlive(Duration interval) {
            this.eventsKeepAlive = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * Serves {@code GET /metrics} on a port of its own (0: a free one), or with the rest when
         * {@link ServerConfig#SAME_PORT} (the default).
         */
        public Builder metricsPort(int port) {
            this.metricsPort = port;
            return this;
        }

        /** Sets how long an installation not seen stays in the fleet (zero: forever). */
        public Builder installationExpiry(Duration expiry) {
            this.installationExpiry = Objects.requireNonNull(expiry, "expiry");
            return this;
        }

        /**
         * UNSAFE, for tests only: disables the table clock, so that every write takes its own transaction and its
         * {@code updatedAt} from the wall clock, with no per-table lock. Incremental pulls can then miss changes
         * (invariant 3); tests use it to show the race the clock prevents. The server logs a warning at start. Not
         * offered on the command line.
         */
        public Builder unsafeDisableTableClock(boolean disable) {
            this.unsafeDisableTableClock = disable;
            return this;
        }

        /**
         * Turns identity on: sign-in tokens are HS256 JWTs signed with {@code secret} (at least 32 bytes);
         * {@code null} turns it off.
         */
        public Builder authSecret(byte[] secret) {
            this.authSecret = secret == null ? null : secret.clone();
            return this;
        }

        /** The {@code iss} a token must have ({@code null}: any). */
        public Builder authIssuer(String issuer) {
            this.authIssuer = issuer;
            return this;
        }

        /** The {@code aud} a token must have ({@code null}: any). */
        public Builder authAudience(String audience) {
            this.authAudience = audience;
            return this;
        }

        /**
         * Turns identity on with public keys: RS256 and ES256 tokens are verified with the keys of the JWKS at
         * {@code location}, a file or an {@code http(s)} URL ({@code null}: none). With a secret too, both kinds of
         * token are accepted, each only with its own kind of key.
         */
        public Builder authJwks(String location) {
            this.authJwks = location;
            return this;
        }

        /** Sets the shortest time between two reads of a JWKS (a sign-in provider's too). */
        public Builder authJwksRefetchInterval(Duration interval) {
            this.authJwksRefetchInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** Adds a sign-in provider for {@code POST /.auth/login/{name}} (needs the secret, which signs the tokens). */
        public Builder authProvider(AuthProvider provider) {
            this.authProviders.add(Objects.requireNonNull(provider, "provider"));
            return this;
        }

        /** Replaces the sign-in providers. */
        public Builder authProviders(List<AuthProvider> providers) {
            this.authProviders = new ArrayList<>(providers);
            return this;
        }

        /**
         * The access rule of dynamic tables: {@code anonymous}, {@code authenticated}, {@code disabled} or
         * {@code role:NAME} ({@code null}: {@code authenticated} with identity, {@code anonymous} without).
         */
        public Builder dynamicAccess(String rule) {
            this.dynamicAccess = rule;
            return this;
        }

        /**
         * The configuration.
         *
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public ServerConfig build() {
            require(port >= 0 && port <= 65535, "port must be 0-65535: " + port);
            require(maxTop >= 1, "maxTop must be at least 1: " + maxTop);
            require(maxDynamicTables >= 1, "maxDynamicTables must be at least 1: " + maxDynamicTables);
            require(maxBody >= 1024, "maxBody must be at least 1024 bytes: " + maxBody);
            require(pageSizeV2 >= 1 && pageSizeV3 >= 1, "page sizes must be at least 1");
            require(!tombstoneRetention.isNegative(), "tombstoneRetention must not be negative");
            require(purgeInterval.toMillis() >= 1, "purgeInterval must be positive");
            require(maxBatchOperations >= 1, "maxBatchOperations must be at least 1: " + maxBatchOperations);
            require(maxBatchBody >= 1024, "maxBatchBody must be at least 1024 bytes: " + maxBatchBody);
            require(!shutdownTimeout.isNegative(), "shutdownTimeout must not be negative");
            require(eventsKeepAlive.toMillis() >= 10, "eventsKeepAlive must be at least 10 ms: " + eventsKeepAlive);
            require(poolSize >= 0, "poolSize must not be negative: " + poolSize);
            require(metricsPort == SAME_PORT || metricsPort >= 0 && metricsPort <= 65535,
                    "metricsPort must be 0-65535 (or SAME_PORT): " + metricsPort);
            require(metricsPort == SAME_PORT || metricsPort == 0 || metricsPort != port,
                    "metricsPort must differ from port: " + metricsPort);
            require(!installationExpiry.isNegative(), "installationExpiry must not be negative");
            require(database.startsWith("jdbc:sqlite:") || database.startsWith("jdbc:postgresql:"),
                    "database must be a jdbc:sqlite: or jdbc:postgresql: URL");
            require(authSecret == null || authSecret.length >= TokenVerifier.MIN_SECRET_BYTES,
                    "the sign-in secret must have at least " + TokenVerifier.MIN_SECRET_BYTES + " bytes, not "
                    + (authSecret == null ? 0 : authSecret.length));
            if (authJwks != null) {
                SigningKeys.validate(authJwks);
            }
            require(!authJwksRefetchInterval.isNegative(), "authJwksRefetchInterval must not be negative");
            require(authProviders.isEmpty() || authSecret != null, "a sign-in provider (--auth-provider) needs the "
                    + "sign-in secret (--auth-secret-file or OUTPOST_AUTH_SECRET), which signs the tokens it hands out");
            Set<String> names = new HashSet<>();
            for (AuthProvider provider : authProviders) {
                require(names.add(provider.name()), "sign-in provider '" + provider.name() + "' is given twice");
                SigningKeys.validate(provider.keys());
            }
            require(!PER_USER.equals(dynamicAccess) || authSecret != null || authJwks != null, "dynamic access "
                    + "per-user needs sign-in (a secret: --auth-secret-file or OUTPOST_AUTH_SECRET; or --auth-jwks)");
            if (dynamicAccess != null && !PER_USER.equals(dynamicAccess)) {
                try {
                    TableAccess.Rule.parse(dynamicAccess);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("dynamic access: " + e.getMessage(), e);
                }
            }
            return new ServerConfig(this);
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
