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
    }

    @CommandLine.Mixin
    private final Options options = new Options();

    @Parameters(index = "0", defaultValue = "server", description = "Which benchmarks: server (the table API, "
            + "issue 3) (default: ${DEFAULT-VALUE}).")
    private String suite;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        printMachine();
        if (!suite.equals("server")) {
            System.err.println("unknown suite '" + suite + "' (expected: server)");
            return 2;
        }
        TableApiBenchmark table = new TableApiBenchmark(options);
        if (!options.database.equals("postgres")) {
            try (BenchDatabase database = BenchDatabase.sqlite()) {
                table.run(database);
            }
        }
        if (!options.database.equals("sqlite")) {
            try (BenchDatabase database = BenchDatabase.postgres(options.postgresUrl)) {
                table.run(database);
            }
        }
        return 0;
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
