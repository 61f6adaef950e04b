package dev.outpost.server;

import dev.outpost.server.internal.store.Database;
import dev.outpost.server.internal.table.TableRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code outpost} command line: {@code outpost serve [options]} starts a server and runs until SIGTERM or
 * Ctrl-C, then stops gracefully (in-flight requests finish, the pool closes). Not meant to be used as a library.
 *
 * <p>A start that fails says what is wrong in one line on stderr (an unreachable database with its URL, a port in
 * use, what is wrong in the tables file and where) and exits 1; a bad option exits 2. Stack traces go to the log at
 * DEBUG only.
 */
@Command(name = "outpost", mixinStandardHelpOptions = true, versionProvider = ServerMain.Version.class,
        description = "Outpost: offline-first data sync server.",
        subcommands = {ServerMain.Serve.class, TokenCommand.class, CommandLine.HelpCommand.class})
public final class ServerMain implements Callable<Integer> {

    /** Exit status of a start that failed (database, port, tables file). */
    static final int START_FAILED = 1;
    /** Exit status of a bad command line (unknown option, bad value). */
    static final int BAD_USAGE = 2;
    private static final Logger LOG = LoggerFactory.getLogger(ServerMain.class);

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line, set up so that every failure is one line on its error stream (the stack trace goes to the
     * log at DEBUG): a bad option exits with {@value #BAD_USAGE}, a failed start with {@value #START_FAILED}.
     * Tests run it with their own out and err writers.
     */
    static CommandLine commandLine() {
        CommandLine command = new CommandLine(new ServerMain());
        command.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            LOG.debug("bad command line", e);
            failed.getErr().println(failed.getCommandSpec().qualifiedName() + ": " + ServerStartException.oneLine(
                    e.getMessage()) + " (see '" + failed.getCommandSpec().qualifiedName() + " --help')");
            failed.getErr().flush();
            return BAD_USAGE;
        });
        command.setExecutionExceptionHandler((e, failed, parsed) -> {
            LOG.debug("start-up failed", e);
            String name = failed.getCommandSpec().qualifiedName();
            if (e instanceof IllegalArgumentException) {
                failed.getErr().println(name + ": " + ServerStartException.oneLine(e.getMessage()) + " (see '"
                        + name + " --help')");
                failed.getErr().flush();
                return BAD_USAGE;
            }
            String message = e instanceof ServerStartException ? e.getMessage()
                    : e.getClass().getSimpleName() + ": " + ServerStartException.oneLine(e.getMessage());
            failed.getErr().println(name + ": " + message);
            failed.getErr().flush();
            return START_FAILED;
        });
        return command;
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 2;
    }

    /** Prints the server version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"outpost " + OutpostServer.version()};
        }
    }

    /** {@code outpost serve}. */
    @Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = ServerMain.Version.class,
            description = "Serve tables over HTTP (Azure Mobile Apps v2, Datasync v3 and Outpost's native "
                    + "extensions: batch push, cursor pull, and change events that tell connected clients at once "
                    + "when a table changes, across replicas on PostgreSQL) until stopped with SIGTERM or Ctrl-C.",
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {"0:stopped by SIGTERM or Ctrl-C",
                    "1:could not start: one line on stderr says why (database unreachable, port in use, bad tables "
                            + "file, tables file and database disagree, a JWKS file that is not valid)",
                    "2:bad command line (unknown option or bad value)"})
    static final class Serve implements Callable<Integer> {
        @Option(names = "--port", defaultValue = "8080", description = "Port to listen on (default: ${DEFAULT-VALUE}; "
                + "0 picks a free one).")
        int port;

        @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: "
                + "${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
        String host;

        @Option(names = "--database", defaultValue = ServerConfig.DEFAULT_DATABASE, description = "JDBC URL of the "
                + "database: jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DB?user=U&password=P "
                + "(default: ${DEFAULT-VALUE}, created if missing).")
        String database;

        @Option(names = "--tables", paramLabel = "FILE", description = "Tables file (JSON) declaring each table's "
                + "typed columns and soft delete; without it the dynamic schema creates tables on first insert and "
                + "columns on first sight.")
        Path tables;

        @Option(names = "--strict-version", description = "Refuse requests without ZUMO-API-VERSION (400) instead "
                + "of treating them as v3.")
        boolean strictVersion;

        @Option(names = "--max-top", defaultValue = "1000", description = "Largest $top a query may ask for; more "
                + "is a 400 (default: ${DEFAULT-VALUE}). A v2 query gets all of its $top in one answer; a v3 query "
                + "gets pages of --page-size-v3 with a nextLink.")
        int maxTop;

        @Option(names = "--max-dynamic-tables", defaultValue = "100", description = "Most tables the dynamic "
                + "schema creates (counted in the database, so across replicas); a first insert into a new table "
                + "beyond it is a 400 (default: ${DEFAULT-VALUE}). Each dynamic table has at most "
                + TableRegistry.MAX_DYNAMIC_COLUMNS + " columns.")
        int maxDynamicTables;

        @Option(names = "--max-body", defaultValue = "1048576", description = "Largest request body in bytes; "
                + "more is a 413 (default: ${DEFAULT-VALUE}, 1 MiB).")
        long maxBody;

        @Option(names = "--page-size-v2", defaultValue = "50", description = "Records per page of a v2 query "
                + "without $top (default: ${DEFAULT-VALUE}); with $top, v2 answers all of it at once.")
        int pageSizeV2;

        @Option(names = "--page-size-v3", defaultValue = "100", description = "Most records per page of a v3 query "
                + "(default: ${DEFAULT-VALUE}); a nextLink continues.")
        int pageSizeV3;

        @Option(names = "--tombstone-retention-days", defaultValue = "30", description = "Days soft-deleted "
                + "records are kept before they are purged; 0 keeps them forever (default: ${DEFAULT-VALUE}). "
                + "A client that has not pulled for longer misses those deletions.")
        long retentionDays;

        @Option(names = "--max-batch-operations", defaultValue = "1000", description = "Most operations in one "
                + "native batch push; more is a 400 (default: ${DEFAULT-VALUE}).")
        int maxBatchOperations;

        @Option(names = "--max-batch-body", defaultValue = "16777216", description = "Largest native batch push "
                + "body in bytes; more is a 413 (default: ${DEFAULT-VALUE}, 16 MiB).")
        long maxBatchBody;

        @Option(names = "--pool-size", defaultValue = "0", description = "Most database connections; 0 for the "
                + "database's default (SQLite 8, PostgreSQL 40).")
        int poolSize;

        @Option(names = "--shutdown-timeout-seconds", defaultValue = "30", description = "On SIGTERM, how long "
                + "in-flight requests may take to finish before the server stops (default: ${DEFAULT-VALUE}).")
        long shutdownSeconds;

        @Option(names = "--metrics-port", paramLabel = "PORT", description = "Serve GET /metrics (Prometheus text: "
                + "requests by route, status and protocol with latency histograms, records pushed and pulled, "
                + "conflicts, batch sizes, the database pool, event streams, the fleet) alone on this port; "
                + "without it, /metrics is served on --port. Like the fleet view GET /outpost/v1/installations and "
                + "GET /outpost/v1/status, it needs a token with the role admin when the server has sign-in, and is "
                + "served only to this machine without.")
        Integer metricsPort;

        @Option(names = "--installation-expiry-days", defaultValue = "30", description = "Days an installation "
                + "(a client app, by its X-ZUMO-INSTALLATION-ID) not seen stays in the fleet view before it expires; "
                + "0 keeps them forever (default: ${DEFAULT-VALUE}).")
        long installationExpiryDays;

        @Option(names = "--dynamic-access", paramLabel = "RULE", description = "Who may use the tables the "
                + "dynamic schema makes: anonymous, authenticated, per-user (signed-in users, each seeing only "
                + "the rows they inserted, owner column userId), disabled or role:NAME (default: authenticated "
                + "with identity, a sign-in secret or --auth-jwks; anonymous without).")
        String dynamicAccess;

        @Mixin
        AuthOptions auth;

        @Option(names = "--auth-jwks", paramLabel = "FILE|URL", description = "JSON Web Key Set (a file or an "
                + "http(s) URL) whose public keys verify RS256 and ES256 sign-in tokens, with or without a secret: "
                + "a token is verified with the kind of key its algorithm names (HS256 only with the secret). Keys "
                + "are kept in memory and read again every 5 minutes, and when a token names an unknown kid (at most "
                + "every 30 s), so key rotation needs no restart. A file that is not valid stops the start; a URL "
                + "that cannot be read at start is read when a token needs it.")
        String jwks;

        @Option(names = "--auth-provider", paramLabel = "NAME=ISSUER,JWKS[,AUDIENCE]", description = "A sign-in "
                + "provider (repeatable) for apps moving from Azure Mobile Apps: POST /.auth/login/NAME with "
                + "{\"access_token\": …} or {\"id_token\": …} verifies the provider's token with its JWKS (URL or "
                + "file), ISSUER and AUDIENCE (the app's client id; any when left out) and answers with an Outpost "
                + "token for the user 'sid:…', valid for an hour at most. Needs the sign-in secret. Example: "
                + "google=https://accounts.google.com,https://www.googleapis.com/oauth2/v3/certs,CLIENT-ID")
        List<String> providers = new ArrayList<>();

        @Spec
        CommandSpec spec;

        /** The environment the secret is read from (tests give their own). */
        Map<String, String> environment = System.getenv();

        @Override
        public Integer call() throws InterruptedException {
            ServerConfig config = ServerConfig.builder()
                    .authSecret(auth.secret(environment)).authIssuer(auth.issuer).authAudience(auth.audience)
                    .authJwks(jwks).authProviders(providers.stream().map(ServerConfig.AuthProvider::parse).toList())
                    .dynamicAccess(dynamicAccess)
                    .port(port).host(host).database(database).tablesFile(tables).strictVersion(strictVersion)
                    .maxTop(maxTop).maxDynamicTables(maxDynamicTables).maxBody(maxBody)
                    .pageSizeV2(pageSizeV2).pageSizeV3(pageSizeV3)
                    .tombstoneRetention(Duration.ofDays(retentionDays)).maxBatchOperations(maxBatchOperations)
                    .maxBatchBody(maxBatchBody).poolSize(poolSize).shutdownTimeout(Duration.ofSeconds(shutdownSeconds))
                    .metricsPort(metricsPort == null ? ServerConfig.SAME_PORT : metricsPort)
                    .installationExpiry(Duration.ofDays(installationExpiryDays))
                    .build();
            OutpostServer server = OutpostServer.builder().config(config).build().start();
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.stop();
                stopped.countDown();
            }, "outpost-shutdown"));
            spec.commandLine().getOut().println("Outpost " + OutpostServer.version() + " serving on http://" + host
                    + ":" + server.port() + " (" + Database.redacted(database) + ")"
                    + (metricsPort == null ? "" : "; metrics on port " + server.metricsPort()));
            spec.commandLine().getOut().flush();
            stopped.await();
            return 0;
        }
    }
}
