package dev.outpost.bench;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.outpost.server.internal.auth.AccessControl;
import dev.outpost.server.internal.auth.Caller;
import dev.outpost.server.internal.auth.TableAccess;
import dev.outpost.server.internal.auth.TokenVerifier;
import dev.outpost.server.internal.rows.RowRule;
import dev.outpost.server.internal.rows.RowRules;
import dev.outpost.server.internal.sql.SqlDialect;
import dev.outpost.server.internal.table.Column;
import dev.outpost.server.internal.table.ColumnType;
import dev.outpost.server.internal.table.TableSchema;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What identity costs (issue 12): the same loads on the same database, against the server without identity, with
 * HS256 tokens on every request ({@code --dynamic-access authenticated}), and with per-user tables
 * ({@code --dynamic-access per-user}, every row the caller's). The modes take turns, round after round, each round
 * starting with the next mode (the machine's figures drift between runs, and the writes grow the table); the
 * queries come first (every run on the same table), then the writes. Each load's figures are printed per run and as
 * medians with the ratio to the server without identity: throughput, and the server's CPU time per request (which
 * moves much less with the machine's other load). Loads: the open-items query (32 connections), single-record
 * inserts (32 connections) and native batch pushes of 100 inserts (4 connections).
 */
final class IdentityBenchmark {
    private static final String SECRET = "outpost-bench-secret-of-more-than-thirty-two-bytes";
    private static final String QUERY = "/tables/todoitem?$filter="
            + URLEncoder.encode("(complete eq false)", StandardCharsets.UTF_8).replace("+", "%20")
            + "&$orderby=updatedAt&$top=50";
    private static final int BATCH = 100;
    private static final int ROUNDS = 4;

    /** A server configuration under test. */
    private enum Mode {
        NONE("no identity"), TOKEN("HS256 token"), PER_USER("per-user rows");

        final String label;

        Mode(String label) {
            this.label = label;
        }
    }

    private final BenchMain.Options options;

    IdentityBenchmark(BenchMain.Options options) {
        this.options = options;
    }

    void run(BenchDatabase database) throws Exception {
        System.out.printf("%n== Identity on %s (%,d todo records, %d rounds) ==%n", database.kind(), options.records,
                ROUNDS);
        Path secret = Files.createTempFile("outpost-bench-secret-", ".txt");
        try {
            Files.writeString(secret, SECRET);
            String token = token();
            inProcess(token);
            // The records are alice's, inserted as a per-user table: every mode reads the same rows.
            try (ServerProcess server = ServerProcess.start(database.url(), arguments(Mode.PER_USER, secret))) {
                HttpRequests requests = new HttpRequests(server.address(), token);
                Load.Result loaded = Load.forCount(server.address(), options.connections, options.records, 201,
                        n -> requests.post("/tables/todoitem", "3.0.0", body(n)));
                System.out.println("loaded: " + loaded.describe("inserts"));
            }
            Map<String, Map<Mode, List<Double>>> figures = new LinkedHashMap<>();
            // The queries first, all on the same table; then the writes, which grow it.
            for (boolean writes : new boolean[] {false, true}) {
                for (int round = 1; round <= ROUNDS; round++) {
                    // Each round starts with the next mode, so that no mode always runs on the biggest table.
                    for (int turn = 0; turn < Mode.values().length; turn++) {
                        Mode mode = Mode.values()[(round - 1 + turn) % Mode.values().length];
                        try (ServerProcess server = ServerProcess.start(database.url(), arguments(mode, secret))) {
                            HttpRequests requests = new HttpRequests(server.address(),
                                    mode == Mode.NONE ? null : token);
                            if (writes) {
                                measureWrites(round, mode, server, requests, figures);
                            } else {
                                measureQuery(round, mode, server, requests, figures);
                            }
                        }
                    }
                }
            }
            System.out.println();
            System.out.println("medians (ratio to no identity):");
            figures.forEach((load, byMode) -> {
                double base = median(byMode.get(Mode.NONE));
                StringBuilder line = new StringBuilder(String.format("  %-38s", load));
                for (Mode mode : Mode.values()) {
                    double value = median(byMode.get(mode));
                    line.append(String.format("  %s %,.1f (%.3f)", mode.label, value, value / base));
                }
                System.out.println(line);
            });
        } finally {
            Files.deleteIfExists(secret);
        }
    }

    private void measureQuery(int round, Mode mode, ServerProcess server, HttpRequests requests,
                              Map<String, Map<Mode, List<Double>>> figures) throws Exception {
        InetSocketAddress address = server.address();
        byte[] query = requests.get(QUERY, "3.0.0");
        Duration time = Duration.ofSeconds(options.seconds);
        Load.forDuration(address, options.connections, Duration.ofSeconds(options.warmupSeconds), 200, n -> query);
        CpuMeter cpu = CpuMeter.start(server.handle());
        Load.Result queries = Load.forDuration(address, options.connections, time, 200, n -> query);
        record(figures, "query (req/s)", mode, queries.perSecond());
        record(figures, "query: server CPU per request (µs)", mode, cpu.serverMicrosPer(queries.requests()));
        print(round, mode, "query complete eq false, top 50", queries.describe("requests"));
    }

    private void measureWrites(int round, Mode mode, ServerProcess server, HttpRequests requests,
                               Map<String, Map<Mode, List<Double>>> figures) throws Exception {
        InetSocketAddress address = server.address();
        Duration time = Duration.ofSeconds(options.seconds);
        // Warms up the insert path (the query warm-up did the rest before).
        Load.forDuration(address, options.connections, Duration.ofSeconds(options.warmupSeconds), 201,
                n -> requests.post("/tables/todoitem", "3.0.0", body(n)));
        String run = UUID.randomUUID().toString().substring(0, 8);
        CpuMeter cpu = CpuMeter.start(server.handle());
        Load.Result inserts = Load.forDuration(address, options.connections, time, 201,
                n -> requests.post("/tables/todoitem", "3.0.0", body(n)));
        record(figures, "single inserts (inserts/s)", mode, inserts.perSecond());
        record(figures, "insert: server CPU per insert (µs)", mode, cpu.serverMicrosPer(inserts.requests()));
        print(round, mode, "insert, one record per request", inserts.describe("inserts"));

        cpu = CpuMeter.start(server.handle());
        Load.Result pushes = Load.forDuration(address, 4, time, 200,
                n -> requests.post("/outpost/v1/push", "3.0.0", batch(run, n)));
        record(figures, "batch push of 100 (operations/s)", mode, pushes.perSecond() * BATCH);
        record(figures, "push: server CPU per operation (µs)", mode, cpu.serverMicrosPer(pushes.requests() * BATCH));
        print(round, mode, "native push, batches of " + BATCH, pushes.describe("batches"));
    }

    private static void print(int round, Mode mode, String load, String figures) {
        System.out.printf("round %d  %-14s %-32s %s%n", round, mode.label, load, figures);
    }

    private static void record(Map<String, Map<Mode, List<Double>>> figures, String load, Mode mode, double value) {
        figures.computeIfAbsent(load, k -> new LinkedHashMap<>()).computeIfAbsent(mode, k -> new ArrayList<>())
                .add(value);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static List<String> arguments(Mode mode, Path secret) {
        List<String> arguments = new ArrayList<>(List.of("--page-size-v3", "1000"));
        if (mode != Mode.NONE) {
            arguments.addAll(List.of("--auth-secret-file", secret.toString(), "--dynamic-access",
                    mode == Mode.PER_USER ? "per-user" : "authenticated"));
        }
        return arguments;
    }

    private static byte[] body(long n) {
        return ("{\"text\":\"todo " + n + "\",\"complete\":" + (n % 2 == 0) + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] batch(String run, long n) {
        StringBuilder json = new StringBuilder("{\"operations\":[");
        for (int i = 0; i < BATCH; i++) {
            String id = run + "-" + n + "-" + i;
            json.append(i == 0 ? "" : ",").append("{\"id\":\"op-").append(id).append("\",\"table\":\"todoitem\","
                    + "\"kind\":\"insert\",\"itemId\":\"").append(id).append("\",\"item\":{\"id\":\"").append(id)
                    .append("\",\"text\":\"pushed\",\"complete\":false}}");
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * What identity adds to each request, timed in this process without HTTP or a database: the caller read from
     * the {@code Authorization} header (the verified token found in the verifier's cache), the table's access rule
     * checked, and (per-user) the caller's row scope of the table looked up. The loads above cannot resolve a cost
     * this small: their figures move by 10–20% from one run to the next.
     */
    private static void inProcess(String token) {
        AccessControl access = new AccessControl(new TokenVerifier(SECRET.getBytes(StandardCharsets.UTF_8), null,
                null, Clock.systemUTC()), Map.of(), TableAccess.all(TableAccess.Rule.AUTHENTICATED));
        RowRules rows = new RowRules(Map.of(), RowRule.perUser("userId"), SqlDialect.forUrl("jdbc:sqlite:bench.db"));
        TableSchema todo = new TableSchema("todoitem", true, false, List.of(
                new Column("text", "text", ColumnType.STRING, false),
                new Column("complete", "complete", ColumnType.BOOLEAN, false),
                new Column("userId", "userId", ColumnType.STRING, false)));
        String header = "Bearer " + token;
        long[] sink = new long[1];
        Runnable tokenOnly = () -> {
            // A new header string per request, as Jetty makes one (its hash is computed again for the cache).
            Caller caller = access.caller(new String(header), null);
            access.of("todoitem").check(caller, TableAccess.Operation.READ, "todoitem");
            sink[0] += caller.userId().length();
        };
        Runnable perUser = () -> {
            Caller caller = access.caller(new String(header), null);
            access.of("todoitem").check(caller, TableAccess.Operation.READ, "todoitem");
            sink[0] += rows.scope(caller, todo).view().params().size();
        };
        double tokenNanos = nanosPer(tokenOnly);
        double perUserNanos = nanosPer(perUser);
        System.out.printf("in process, per request: HS256 token (cached) + access rule %.2f µs; + per-user scope "
                + "%.2f µs  (%d)%n", tokenNanos / 1000, perUserNanos / 1000, sink[0] % 10);
    }

    private static double nanosPer(Runnable work) {
        for (int i = 0; i < 2_000_000; i++) {
            work.run();
        }
        int n = 5_000_000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            work.run();
        }
        return (System.nanoTime() - start) / (double) n;
    }

    private static String token() throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject("alice")
                .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(12)))).build());
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }
}
