package dev.outpost.bench;

import java.lang.management.ManagementFactory;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code outpost-bench} command: runs the benchmarks and prints their figures. */
@Command(name = "outpost-bench", mixinStandardHelpOptions = true,
        description = "Runs Outpost's benchmarks against a real server started in a separate process and prints "
                + "the figures. Record them in docs/BENCHMARKS.md with the command line used.")
public final class BenchMain implements Callable<Integer> {

    /** Options shared by the benchmarks. */
    static final class Options {
        @Option(names = "--records", defaultValue = "100000", description = "Records in the table (default: "
                + "${DEFAULT-VALUE}).")
        int records;

        @Option(names = "--connections", defaultValue = "32", description = "Concurrent connections of the load "
                + "(default: ${DEFAULT-VALUE}).")
        int connections;

        @Option(names = "--seconds", defaultValue = "15", description = "Measured seconds of each timed load "
                + "(default: ${DEFAULT-VALUE}).")
        int seconds;

        @Option(names = "--warmup-seconds", defaultValue = "5", description = "Warm-up seconds before each timed "
                + "load, not measured (default: ${DEFAULT-VALUE}).")
        int warmupSeconds;

        @Option(names = "--postgres-url", defaultValue = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres",
                description = "PostgreSQL to benchmark against; a fresh schema is created and dropped "
                        + "(default: ${DEFAULT-VALUE}).")
        String postgresUrl;

        @Option(names = "--database", defaultValue = "both", description = "sqlite, postgres or both (default: "
                + "${DEFAULT-VALUE}).")
        String database;

        @Option(names = "--minutes", defaultValue = "1", description = "soak: minutes per database; seeds follow "
                + "one another from --seed until the time is up (default: ${DEFAULT-VALUE}).")
        double minutes;

        @Option(names = "--seed", description = "soak: the first seed (default: a random one, printed); crash: the "
                + "seed.")
        Long seed;

        @Option(names = "--steps", defaultValue = "150", description = "soak: random steps per seed (default: "
                + "${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--clients", defaultValue = "3", description = "soak: client apps (default: "
                + "${DEFAULT-VALUE}).")
        int clients;

        @Option(names = "--mode", defaultValue = "streams,replicas,clients", description = "live: what to "
                + "measure, comma-separated: streams (one server), replicas (streams on a second server on the same "
                + "PostgreSQL, writes through the first), clients (a write on client app A → in client app B's "
                + "store, both live-syncing with the default options) (default: ${DEFAULT-VALUE}).")
        String mode;

        @Option(names = "--tuned-debounce", description = "live clients: also measure with this live sync "
                + "debounce in milliseconds, printed as TUNED (default: the default options only).")
        Integer tunedDebounce;

        @Option(names = "--streams", defaultValue = "1,1000,10000", description = "live: how many event streams to "
                + "hold open, one count after another (default: ${DEFAULT-VALUE}).")
        String streams;

        @Option(names = "--writes", defaultValue = "50", description = "live: measured writes per stream count "
                + "(clients: spaced writes, and as many in bursts of 10), after a fifth as many not measured "
                + "(default: ${DEFAULT-VALUE}).")
        int writes;

        @Option(names = "--server-heap", defaultValue = "512m", description = "live: the server's -Xmx "
                + "(default: ${DEFAULT-VALUE}).")
        String serverHeap;
    }

    @CommandLine.Mixin
    private final Options options = new Options();

    @Parameters(index = "0", defaultValue = "server", description = "Which benchmarks: server (the table API, "
            + "issue 3), identity (the same loads without identity, with HS256 tokens and with per-user rows, "
            + "issue 12), client (the client SDK's sync, issue 4; run it with -Xmx256m), live (change events: "
            + "write → event latency and heap with 1 to 10,000 open streams, issue 13) or soak (the convergence "
            + "run under faults, docs/FAULTS.md: exits 1 if anything was lost, diverged, duplicated, stuck or "
            + "wrongly parked) (default: ${DEFAULT-VALUE}).")
    private String suite;

    /** One suite of benchmarks, run against one database. */
    @FunctionalInterface
    private interface Suite {
        void on(BenchDatabase database) throws Exception;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        printMachine();
        Suite run;
        if (suite.equals("server")) {
            run = new TableApiBenchmark(options)::run;
        } else if (suite.equals("identity")) {
            run = new IdentityBenchmark(options)::run;
        } else if (suite.equals("client")) {
            run = new SyncBenchmark(options)::run;
        } else if (suite.equals("live")) {
            run = new LiveBenchmark(options, System.out)::run;
        } else if (suite.equals("soak")) {
            SoakLoop soak = new SoakLoop(options);
            run = soak::run;
            runOnEach(run);
            return soak.failed() ? 1 : 0;
        } else {
            System.err.println("unknown suite '" + suite + "' (expected: server, identity, client, live or soak)");
            return 2;
        }
        runOnEach(run);
        return 0;
    }

    private void runOnEach(Suite run) throws Exception {
        if (!options.database.equals("postgres")) {
            try (BenchDatabase database = BenchDatabase.sqlite()) {
                run.on(database);
            }
        }
        if (!options.database.equals("sqlite")) {
            try (BenchDatabase database = BenchDatabase.postgres(options.postgresUrl)) {
                run.on(database);
            }
        }
    }

    /** {@code soak}: seeds one after another on each database until the minutes are up. */
    private static final class SoakLoop {
        private final Options options;
        private final long firstSeed;
        private boolean failed;

        SoakLoop(Options options) {
            this.options = options;
            this.firstSeed = options.seed != null ? options.seed : new java.util.Random().nextInt(1_000_000);
        }

        void run(BenchDatabase database) throws Exception {
            long end = System.nanoTime() + (long) (options.minutes * 60e9);
            long seed = firstSeed;
            int runs = 0;
            int bad = 0;
            do {
                // Each seed on a fresh database of the same kind, so that a seed's run is the same alone or in a loop.
                java.nio.file.Path dir = Soak.storesDirectory();
                Soak.Report report;
                try (BenchDatabase fresh = database.kind().equals("SQLite") ? BenchDatabase.sqlite()
                        : BenchDatabase.postgres(options.postgresUrl)) {
                    report = new Soak(new Soak.Config(seed, options.steps, options.clients, fresh, dir), System.out)
                            .run();
                }
                runs++;
                if (!report.ok()) {
                    bad++;
                    report.problems().forEach(p -> System.out.println("  " + p));
                }
                seed++;
            } while (System.nanoTime() < end);
            System.out.printf("soak on %s: %d seeds from %d, %d failed%n", database.kind(), runs, firstSeed, bad);
            failed |= bad > 0;
        }

        boolean failed() {
            return failed;
        }
    }

    private void printMachine() {
        Runtime runtime = Runtime.getRuntime();
        System.out.printf("machine: %d cores, %.1f GiB RAM, %s %s, Java %s%n", runtime.availableProcessors(),
                ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                        .getTotalMemorySize() / (1024.0 * 1024 * 1024),
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("java.version"));
        if (!options.database.equals("sqlite")) {
            System.out.println("PostgreSQL: " + BenchDatabase.postgresVersion(options.postgresUrl));
        }
    }
}
