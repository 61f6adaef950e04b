package dev.outpost.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;

/**
 * The table API under load (issue 3): single-record inserts with 32 connections, the open-items query with 32
 * connections, and a full-table read in pages of 1,000, on one database.
 */
final class TableApiBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUERY = "/tables/todoitem?$filter=" + encode("(complete eq false)")
            + "&$orderby=updatedAt&$top=50";

    private final BenchMain.Options options;

    TableApiBenchmark(BenchMain.Options options) {
        this.options = options;
    }

    void run(BenchDatabase database) throws Exception {
        System.out.printf("%n== Table API on %s (%,d todo records, %d connections) ==%n", database.kind(),
                options.records, options.connections);
        try (ServerProcess server = ServerProcess.start(database.url(), List.of("--page-size-v3", "1000"))) {
            Http http = new Http(options.connections);
            String base = server.baseUrl();

            CpuMeter cpu = CpuMeter.start(server.handle());
            Load.Result inserts = Load.forCount(options.connections, options.records, (thread, n) ->
                    http.post(base + "/tables/todoitem", ("{\"text\":\"todo " + n + "\",\"complete\":"
                            + (n % 2 == 0) + "}").getBytes(StandardCharsets.UTF_8), 201));
            System.out.println("insert (one record per request):   " + inserts.describe("inserts"));
            System.out.println(cpu.perUnit(inserts.requests(), "insert"));

            Duration warmup = Duration.ofSeconds(options.warmupSeconds);
            Duration time = Duration.ofSeconds(options.seconds);
            Load.Call query = (thread, n) -> http.get(base + QUERY, "3.0.0");
            Load.forDuration(options.connections, warmup, query);
            cpu = CpuMeter.start(server.handle());
            Load.Result queries = Load.forDuration(options.connections, time, query);
            System.out.println("query complete eq false, top 50:   " + queries.describe("requests"));
            System.out.println(cpu.perUnit(queries.requests(), "request"));

            fullRead(http, base, 1, server.handle());
            fullRead(http, base, 4, server.handle());
        }
    }

    /** Reads the whole table in pages of 1,000 by keyset on updatedAt, from {@code readers} readers at once. */
    private void fullRead(Http http, String base, int readers, ProcessHandle server) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(readers);
        CpuMeter cpu = CpuMeter.start(server);
        long start = System.nanoTime();
        List<Future<Long>> futures = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
            futures.add(pool.submit(() -> readAll(http, base)));
        }
        long records = 0;
        for (Future<Long> future : futures) {
            long read = future.get();
            if (read != options.records) {
                throw new IllegalStateException("full read returned " + read + " records, expected " + options.records);
            }
            records += read;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        System.out.printf("full read, pages of 1,000, %d reader%s: %,.0f records/s  (%,d records in %.2f s)%n",
                readers, readers == 1 ? " " : "s", records / seconds, records, seconds);
        System.out.println(cpu.perUnit(records / 1000, "page of 1,000"));
    }

    private static long readAll(Http http, String base) throws Exception {
        String token = "1970-01-01T00:00:00.000Z";
        long count = 0;
        while (true) {
            String url = base + "/tables/todoitem?$filter=" + encode("updatedAt gt cast(" + token
                    + ",Edm.DateTimeOffset)") + "&$orderby=updatedAt&$top=1000";
            JsonNode items = JSON.readTree(http.get(url, "3.0.0")).get("items");
            if (items.isEmpty()) {
                return count;
            }
            count += items.size();
            token = items.get(items.size() - 1).get("updatedAt").asText();
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
