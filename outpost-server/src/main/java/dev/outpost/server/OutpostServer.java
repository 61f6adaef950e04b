package dev.outpost.server;

import dev.outpost.server.internal.auth.AccessControl;
import dev.outpost.server.internal.auth.SignIn;
import dev.outpost.server.internal.auth.SigningKeys;
import dev.outpost.server.internal.auth.TableAccess;
import dev.outpost.server.internal.auth.TokenVerifier;
import dev.outpost.server.internal.events.ChangeFeed;
import dev.outpost.server.internal.events.ChangeHub;
import dev.outpost.server.internal.events.LocalChangeFeed;
import dev.outpost.server.internal.events.PostgresChangeFeed;
import dev.outpost.server.internal.http.JsonErrorHandler;
import dev.outpost.server.internal.http.RequestSettings;
import dev.outpost.server.internal.http.TableRoutes;
import dev.outpost.server.internal.http.TombstoneHorizon;
import dev.outpost.server.internal.rows.RowRule;
import dev.outpost.server.internal.rows.RowRules;
import dev.outpost.server.internal.sql.FilterTranslator;
import dev.outpost.server.internal.sql.TableClock;
import dev.outpost.server.internal.store.BatchPush;
import dev.outpost.server.internal.store.Database;
import dev.outpost.server.internal.store.GroupCommitter;
import dev.outpost.server.internal.store.OperationLog;
import dev.outpost.server.internal.store.SchemaStore;
import dev.outpost.server.internal.store.StoreException;
import dev.outpost.server.internal.store.TableRepository;
import dev.outpost.server.internal.table.Column;
import dev.outpost.server.internal.table.Names;
import dev.outpost.server.internal.table.TableRegistry;
import dev.outpost.server.internal.table.TableSchema;
import dev.outpost.server.internal.table.TablesFile;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.Gzip;
import io.javalin.util.JavalinBindException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Outpost server: tables over HTTP on SQLite or PostgreSQL.
 *
 * <p>Build one, start it, and stop it when done; it is thread-safe and serves requests on Jetty's threads.
 * Several servers may share one PostgreSQL database (replicas behind a load balancer): schemas and table clocks
 * live in the database.
 *
 * <pre>{@code
 * OutpostServer server = OutpostServer.builder()
 *         .config(ServerConfig.builder().port(0).database("jdbc:sqlite:/tmp/outpost.db").build())
 *         .build()
 *         .start();
 * int port = server.port();
 * ...
 * server.stop();   // in-flight requests finish, then the pool closes
 * }</pre>
 */
public final class OutpostServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutpostServer.class);

    private final ServerConfig config;
    private final Clock clock;
    private Database database;
    private GroupCommitter committer;
    private Javalin app;
    private ScheduledExecutorService purger;
    private TableRegistry registry;
    private TableRepository repository;
    private ChangeFeed feed;
    private ChangeHub hub;

    private OutpostServer(Builder builder) {
        this.config = builder.config;
        this.clock = builder.clock;
    }

    /** A builder with the default configuration. */
    public static Builder builder() {
        return new Builder();
    }

    /** The server's version, announced in {@code X-Outpost-Server}. */
    public static String version() {
        Properties properties = new Properties();
        try (InputStream in = OutpostServer.class.getResourceAsStream("/dev/outpost/server/version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version", "0.1.0");
    }

    /**
     * Opens the database, creates missing tables and columns, and starts listening.
     *
     * @return this server
     * @throws IllegalStateException if it was started before
     * @throws ServerStartException  if it cannot start, saying why in one line
     */
    public synchronized OutpostServer start() {
        if (app != null) {
            throw new IllegalStateException("server already started");
        }
        boolean unsafe = config.unsafeDisableTableClock();
        if (unsafe) {
            LOG.warn("unsafeDisableTableClock: the table clock is DISABLED; incremental pulls can miss changes");
        }
        TablesFile.Declared tablesFile = readTablesFile();
        List<TableSchema> declared = tablesFile == null ? null : tablesFile.tables();
        AccessControl access = accessControl(tablesFile);
        SignIn signIn = signIn();
        try {
            database = Database.open(config.database(), config.poolSize());
        } catch (StoreException e) {
            throw new ServerStartException(e.kind() == StoreException.Kind.UNAVAILABLE
                    ? ServerStartException.Reason.DATABASE_UNREACHABLE : ServerStartException.Reason.OTHER,
                    e.getMessage(), e);
        }
        try {
            RowRules rows = rowRules(tablesFile, access);
            SchemaStore schemas = new SchemaStore(database);
            registry = declared == null ? TableRegistry.dynamic(schemas, config.maxDynamicTables()) : TableRegistry.declared(schemas, declared);
            try {
                registry.start();
            } catch (IllegalStateException e) {
                throw new ServerStartException(ServerStartException.Reason.SCHEMA_MISMATCH, e.getMessage(), e);
            } catch (StoreException e) {
                throw new ServerStartException(ServerStartException.Reason.OTHER, e.getMessage(), e);
            }
            if (tablesFile != null) {
                createRowIndexes(schemas, tablesFile, rows);
            }
            repository = new TableRepository(database);
            feed = changeFeed();
            hub = new ChangeHub(clock, config.eventsKeepAlive());
            feed.start(hub);
            committer = new GroupCommitter(database, clock, unsafe, 256, feed);
            RequestSettings settings = new RequestSettings(config.strictVersion(), config.maxTop(), config.maxBody(),
                    config.pageSizeV2(), config.pageSizeV3(), config.maxBatchOperations(), config.maxBatchBody(),
                    new TombstoneHorizon(clock, config.tombstoneRetention()), access, rows, signIn);
            TableRoutes routes = new TableRoutes(settings, database, registry, repository, committer,
                    new BatchPush(database, repository, clock, unsafe, feed), hub, version());
            app = Javalin.create(javalin -> {
                javalin.startup.showJavalinBanner = false;
                javalin.startup.showOldJavalinVersionWarning = false;
                javalin.jetty.host = config.host();
                javalin.jetty.port = config.port();
                // Level 1 instead of the default 6: a page of 1,000 records (190 kB of JSON) compresses in about a
                // third of the CPU time (~1 ms instead of ~3 ms), to 36 kB instead of 31 kB.
                javalin.http.compressionStrategy = new CompressionStrategy(null, new Gzip(1));
                javalin.jetty.modifyServer(server -> {
                    server.setStopTimeout(config.shutdownTimeout().toMillis());
                    // Jetty's own answers (414, 431, a bad URI) get the JSON error body too.
                    server.setErrorHandler(new JsonErrorHandler());
                });
                // Room for long $filter values: the filter parser's own limits answer with a JSON 400.
                javalin.jetty.modifyHttpConfiguration(http -> http.setRequestHeaderSize(64 * 1024));
                javalin.jetty.modifyServletContextHandler(handler -> {
                    GracefulHandler graceful = new GracefulHandler();
                    handler.insertHandler(graceful);
                });
                routes.configure(javalin);
            });
            try {
                app.start();
            } catch (RuntimeException e) {
                if (isBindFailure(e)) {
                    throw new ServerStartException(ServerStartException.Reason.PORT_IN_USE, "cannot listen on "
                            + config.host() + ":" + config.port() + ": the port is in use (or the address is not "
                            + "this machine's)", e);
                }
                throw e;
            }
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
        startPurger();
        LOG.info("Outpost {} listening on {}:{} ({}, {} schema)", version(), config.host(), port(),
                database.dialect().name(), registry.isDynamic() ? "dynamic" : "declared");
        return this;
    }

    /**
     * How commits reach the event streams: {@code LISTEN}/{@code NOTIFY} on PostgreSQL (every replica hears every
     * commit), in process on SQLite.
     */
    private ChangeFeed changeFeed() {
        if (!database.dialect().name().equals("postgresql")) {
            return new LocalChangeFeed();
        }
        String channel = database.read(PostgresChangeFeed::channel);
        return new PostgresChangeFeed(config.database(), database.dialect().connectionProperties(), channel);
    }

    /** The index each declared table with a row rule reads by (its rule's claim columns, then updatedAt, id). */
    private void createRowIndexes(SchemaStore schemas, TablesFile.Declared tablesFile, RowRules rows) {
        for (TableSchema declared : tablesFile.tables()) {
            RowRule rule = rows.of(declared.name(), true);
            if (rule == null) {
                continue;
            }
            TableSchema table = registry.find(declared.name());
            List<Column> columns = new ArrayList<>();
            for (String name : rule.pinnedColumns()) {
                Column column = table.column(name);
                if (column != null && !columns.contains(column)) {
                    columns.add(column);
                }
            }
            schemas.createRowIndex(table, columns);
        }
    }

    /** Identity (when the server has a secret, JWKS keys or both) and the tables' access rules. */
    private AccessControl accessControl(TablesFile.Declared tablesFile) {
        TokenVerifier verifier = null;
        if (config.hasIdentity()) {
            SigningKeys keys = config.authJwks() == null ? null : signingKeys("--auth-jwks", config.authJwks());
            verifier = new TokenVerifier(config.authSecret(), keys, config.authIssuer(), config.authAudience(), clock);
        }
        String dynamic = config.dynamicAccess();
        return new AccessControl(verifier, tablesFile == null ? Map.of() : tablesFile.access(),
                TableAccess.all(dynamic.equals(ServerConfig.PER_USER) ? TableAccess.Rule.AUTHENTICATED
                        : TableAccess.Rule.parse(dynamic)));
    }

    /**
     * The tables' row rules, parsed and checked against the declared tables: a bad rule stops the server with one
     * line naming the file, the table and what is wrong.
     */
    private RowRules rowRules(TablesFile.Declared tablesFile, AccessControl access) {
        RowRule dynamic = config.dynamicAccess().equals(ServerConfig.PER_USER)
                ? RowRule.perUser(TablesFile.OWNER_COLUMN) : null;
        Map<String, RowRule> declared = new HashMap<>();
        if (tablesFile != null) {
            FilterTranslator translator = new FilterTranslator(database.dialect());
            for (TableSchema table : tablesFile.tables()) {
                String text = tablesFile.rows().get(Names.key(table.name()));
                if (text == null) {
                    continue;
                }
                String where = config.tablesFile() + ": table '" + table.name() + "': ";
                if (!access.hasIdentity()) {
                    throw new ServerStartException(ServerStartException.Reason.INVALID_TABLES_FILE, where + "its rows "
                            + "belong to signed-in users (perUser or rows), but the server has no sign-in: give it a "
                            + "secret (--auth-secret-file or OUTPOST_AUTH_SECRET) or keys (--auth-jwks)", null);
                }
                try {
                    RowRule rule = RowRule.parse(text, tablesFile.owners().get(Names.key(table.name())));
                    rule.check(table, translator);
                    declared.put(Names.key(table.name()), rule);
                } catch (IllegalArgumentException e) {
                    throw new ServerStartException(ServerStartException.Reason.INVALID_TABLES_FILE,
                            where + e.getMessage(), e);
                }
            }
        }
        return new RowRules(declared, dynamic, database.dialect());
    }

    /** Sign-in with the configured providers, or {@code null} when there are none. */
    private SignIn signIn() {
        if (config.authProviders().isEmpty()) {
            return null;
        }
        Map<String, TokenVerifier> providers = new LinkedHashMap<>();
        for (ServerConfig.AuthProvider provider : config.authProviders()) {
            SigningKeys keys = signingKeys("sign-in provider '" + provider.name() + "'", provider.keys());
            providers.put(provider.name(), new TokenVerifier(null, keys, provider.issuer(), provider.audience(),
                    clock));
        }
        return new SignIn(providers, config.authSecret(), config.authIssuer(), config.authAudience(), clock);
    }

    /**
     * The keys of a JWKS, read now: a file that cannot be read or is not valid stops the start; a URL that cannot be
     * read is only logged (the server starts, and reads it again when a token needs it).
     */
    private SigningKeys signingKeys(String what, String location) {
        SigningKeys keys = SigningKeys.at(location, config.authJwksRefetchInterval(), clock);
        try {
            keys.load();
        } catch (IllegalArgumentException e) {
            if (!keys.isRemote()) {
                throw new ServerStartException(ServerStartException.Reason.INVALID_SIGN_IN_KEYS, what + ": "
                        + e.getMessage(), e);
            }
            LOG.warn("{}: {}; it is read again when a token needs it", what, e.getMessage());
        }
        return keys;
    }

    private TablesFile.Declared readTablesFile() {
        if (config.tablesFile() == null) {
            return null;
        }
        try {
            return TablesFile.readDeclared(config.tablesFile());
        } catch (IllegalArgumentException e) {
            throw new ServerStartException(ServerStartException.Reason.INVALID_TABLES_FILE, e.getMessage(), e);
        }
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || t instanceof JavalinBindException) {
                return true;
            }
        }
        return false;
    }

    private void startPurger() {
        purger = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "outpost-maintenance");
            thread.setDaemon(true);
            return thread;
        });
        long every = config.purgeInterval().toMillis();
        purger.scheduleWithFixedDelay(this::purgeTombstones, every, every, TimeUnit.MILLISECONDS);
        if (registry.isDynamic()) {
            // Columns another replica added appear in this replica's records within a few seconds (a request that
            // names an unknown column reloads at once).
            purger.scheduleWithFixedDelay(this::reloadSchema, 5, 5, TimeUnit.SECONDS);
        }
    }

    /**
     * Removes tombstones older than the retention from every soft-delete table (unless the retention is zero) and
     * forgets native push operations older than {@link OperationLog#RETENTION_MILLIS}; returns how many tombstones
     * were removed.
     */
    int purgeTombstones() {
        try {
            database.write(connection -> OperationLog.purge(connection,
                    clock.millis() - OperationLog.RETENTION_MILLIS));
        } catch (RuntimeException e) {
            LOG.warn("purging the operation log failed: {}", e.getMessage());
        }
        if (config.tombstoneRetention().isZero()) {
            return 0;
        }
        int removed = 0;
        Instant olderThan = clock.instant().minus(config.tombstoneRetention());
        for (TableSchema schema : registry.tables()) {
            if (!schema.softDelete()) {
                continue;
            }
            try {
                removed += database.write(connection -> {
                    TableClock.lock(connection, schema.key(), clock);
                    return repository.purge(connection, schema, olderThan);
                });
            } catch (RuntimeException e) {
                LOG.warn("purging tombstones of {} failed: {}", schema.name(), e.getMessage());
            }
        }
        if (removed > 0) {
            LOG.info("purged {} tombstones older than {}", removed, olderThan);
        }
        return removed;
    }

    private void reloadSchema() {
        try {
            registry.reload();
        } catch (RuntimeException e) {
            LOG.warn("reloading the schema failed: {}", e.getMessage());
        }
    }

    /** The port the server listens on (the actual one when configured with port 0). */
    public int port() {
        if (app == null) {
            throw new IllegalStateException("server not started");
        }
        return app.port();
    }

    /** The HTTP routes the running server answers, as {@code "METHOD /path/{param}"} (for tests). */
    List<String> routes() {
        if (app == null) {
            throw new IllegalStateException("server not started");
        }
        List<String> routes = new ArrayList<>();
        app.unsafe.internalRouter.allHttpHandlers().forEach(parsed -> routes.add(parsed.endpoint.method.name()
                + " " + parsed.endpoint.path));
        return routes;
    }

    /** The configuration. */
    public ServerConfig config() {
        return config;
    }

    /** Stops listening (in-flight requests finish first), then closes the connection pool. Idempotent. */
    public synchronized void stop() {
        closeQuietly();
    }

    @Override
    public void close() {
        stop();
    }

    private void closeQuietly() {
        if (purger != null) {
            purger.shutdownNow();
            purger = null;
        }
        if (hub != null) {
            // Event streams never finish on their own: end them, so that stopping does not wait for them.
            hub.close();
            hub = null;
        }
        if (feed != null) {
            feed.close();
            feed = null;
        }
        if (app != null) {
            app.stop();
            app = null;
        }
        if (committer != null) {
            committer.close();
            committer = null;
        }
        if (database != null) {
            database.close();
            database = null;
        }
    }

    /** Builds an {@link OutpostServer}. Not thread-safe. */
    public static final class Builder {
        private ServerConfig config = ServerConfig.builder().build();
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Sets the configuration. */
        public Builder config(ServerConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Sets the clock that timestamps writes (tests inject one). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The server, not yet started. */
        public OutpostServer build() {
            return new OutpostServer(this);
        }
    }
}
