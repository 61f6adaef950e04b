package dev.outpost.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The table API under load (issue 3): single-record inserts with 32 connections, the open-items query with 32
 * connections, and a full-table read in pages of 1,000, on one database.
 */
final class TableApiBenchmark {
    private static final JsonFactory JSON = new JsonFactory();
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
            InetSocketAddress address = server.address();
            HttpRequests requests = new HttpRequests(address);

            CpuMeter cpu = CpuMeter.start(server.handle());
            Load.Result inserts = Load.forCount(address, options.connections, options.records, 201, n ->
                    requests.post("/tables/todoitem", "3.0.0", ("{\"text\":\"todo " + n + "\",\"complete\":"
                            + (n % 2 == 0) + "}").getBytes(StandardCharsets.UTF_8)));
            System.out.println("insert (one record per request):   " + inserts.describe("inserts"));
            System.out.println(cpu.perUnit(inserts.requests(), "insert"));

            byte[] query = requests.get(QUERY, "3.0.0");
            Load.forDuration(address, options.connections, Duration.ofSeconds(options.warmupSeconds), 200,
                    n -> query);
            cpu = CpuMeter.start(server.handle());
            Load.Result queries = Load.forDuration(address, options.connections, Duration.ofSeconds(options.seconds),
                    200, n -> query);
            System.out.println("query complete eq false, top 50:   " + queries.describe("requests"));
            System.out.println(cpu.perUnit(queries.requests(), "request"));

            fullRead(address, requests, 1, server.handle());
            fullRead(address, requests, 4, server.handle());
        }
    }

    /**
     * Reads the whole table in pages of 1,000 by keyset on updatedAt, from {@code readers} readers at once: first
     * for the warm-up seconds (not measured), then for the measured seconds, each reader starting whole passes over
     * the table until the time is up (the last pass finishes and counts).
     */
    private void fullRead(InetSocketAddress address, HttpRequests requests, int readers, ProcessHandle server)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(readers);
        try {
            readFor(pool, address, requests, readers, Duration.ofSeconds(options.warmupSeconds));
            CpuMeter cpu = CpuMeter.start(server);
            long start = System.nanoTime();
            long records = readFor(pool, address, requests, readers, Duration.ofSeconds(options.seconds));
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("full read, pages of 1,000, %d reader%s: %,.0f records/s  (%,d records in %.2f s, "
                    + "%d whole passes)%n", readers, readers == 1 ? " " : "s", records / seconds, records, seconds,
                    records / options.records);
            System.out.println(cpu.perUnit(records / 1000, "page of 1,000"));
        } finally {
            pool.shutdown();
        }
    }

    /** Whole passes by {@code readers} readers until {@code duration} is over; returns the records read. */
    private long readFor(ExecutorService pool, InetSocketAddress address, HttpRequests requests, int readers,
            Duration duration) throws Exception {
        long deadline = System.nanoTime() + duration.toNanos();
        List<Future<Long>> futures = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
            futures.add(pool.submit(() -> {
                long read = 0;
                do {
                    long pass = readAll(address, requests);
                    if (pass != options.records) {
                        throw new IllegalStateException("full read returned " + pass + " records, expected "
                                + options.records);
                    }
                    read += pass;
                } while (System.nanoTime() < deadline);
                return read;
            }));
        }
        long records = 0;
        for (Future<Long> future : futures) {
            records += future.get();
        }
        return records;
    }

    private static long readAll(InetSocketAddress address, HttpRequests requests) throws IOException {
        String token = "1970-01-01T00:00:00.000Z";
        long count = 0;
        try (HttpConnection connection = new HttpConnection(address)) {
            while (true) {
                String target = "/tables/todoitem?$filter=" + encode("updatedAt gt cast(" + token
                        + ",Edm.DateTimeOffset)") + "&$orderby=updatedAt&$top=1000";
                HttpResponseReader response = connection.exchange(requests.get(target, "3.0.0"));
                if (response.status() != 200) {
                    throw new IOException("GET " + target + " answered " + response.status() + ": "
                            + response.bodyText());
                }
                Page page = page(response.body(), response.bodyLength());
                if (page.items == 0) {
                    return count;
                }
                count += page.items;
                token = page.lastUpdatedAt;
            }
        }
    }

    /** What a reader needs of a page: how many items, and the last one's {@code updatedAt}. */
    private record Page(int items, String lastUpdatedAt) {
    }

    /** Reads {@code {"items":[…],…}} with a streaming parser: every byte is parsed, no tree is built. */
    private static Page page(byte[] body, int length) throws IOException {
        int items = 0;
        String lastUpdatedAt = null;
        try (JsonParser parser = JSON.createParser(body, 0, length)) {
            expect(parser.nextToken(), JsonToken.START_OBJECT);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (!field.equals("items")) {
                    parser.skipChildren();
                    continue;
                }
                expect(value, JsonToken.START_ARRAY);
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    items++;
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String name = parser.currentName();
                        parser.nextToken();
                        if (name.equals("updatedAt")) {
                            lastUpdatedAt = parser.getText();
                        } else {
                            parser.skipChildren();
                        }
                    }
                }
            }
        }
        return new Page(items, lastUpdatedAt);
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("unexpected page: " + actual + " where " + expected + " was expected");
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
