package dev.outpost.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.testing.TestDatabase;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Invariant 3 (no missed changes): two server replicas on one database, several concurrent writers through both,
 * and an incremental reader paging with {@code updatedAt gt <token>} (pages of 50, as the official clients read)
 * all the while. When writing stops and the reader has caught up, it must have seen every committed record in its
 * final version.
 *
 * <p>Without the table clock ({@code ServerConfig.Builder.unsafeDisableTableClock(true)}) this test finds the race:
 * a writer that took {@code updatedAt} earlier but commits later lands behind a token the reader has already passed,
 * and records sharing a millisecond are cut at page boundaries. Writing lasts {@code outpost.noMissedChanges.seconds}
 * (default 4).
 */
class NoMissedChangesTest {
    private static final int WRITERS = 8;
    private static final String TABLE = "todoitem";

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void incrementalReaderSeesEveryCommittedRecordAcrossTwoReplicas(TestDatabase database) throws Exception {
        Duration writing = Duration.ofSeconds(Long.getLong("outpost.noMissedChanges.seconds", 4));
        try (TestServer first = TestServer.start(database);
             TestServer second = TestServer.startOn(database, first.databaseUrl(), b -> b)) {
            // Create the table (dynamic schema) before the race starts.
            assertThat(first.v2("POST", "/tables/" + TABLE, "{\"id\":\"seed\",\"text\":\"seed\",\"complete\":false}")
                    .status()).isEqualTo(201);
            List<TestServer> replicas = List.of(first, second);
            Map<String, String> committed = new ConcurrentHashMap<>();
            committed.put("seed", "");
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 1);
            try {
                Reader reader = new Reader(first);
                Future<?> reading = pool.submit(() -> {
                    while (!stop.get()) {
                        reader.readPage();
                    }
                    return null;
                });
                List<Future<Integer>> writers = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    int writer = w;
                    writers.add(pool.submit(() -> write(writer, replicas, committed, writing)));
                }
                int writes = 0;
                for (Future<Integer> f : writers) {
                    writes += f.get();
                }
                stop.set(true);
                reading.get();
                while (reader.readPage() > 0) {
                    // Catch up: read until an empty page.
                }

                Map<String, String> current = currentVersions(first);
                assertThat(current.keySet()).as("records on the server").isEqualTo(committed.keySet());
                assertThat(writes).as("writes made").isGreaterThan(WRITERS * 10);
                Map<String, String> missed = new TreeMap<>();
                current.forEach((id, version) -> {
                    if (!version.equals(reader.seen.get(id))) {
                        missed.put(id, "server " + version + ", reader " + reader.seen.get(id));
                    }
                });
                assertThat(missed).as("records the incremental reader missed or saw in an older version "
                        + "(%d writes, %d pages read)", writes, reader.pages).isEmpty();
            } finally {
                stop.set(true);
                pool.shutdownNow();
            }
        }
    }

    /** One writer: inserts new records and updates earlier ones, alternating replicas, for {@code writing}. */
    private static int write(int writer, List<TestServer> replicas, Map<String, String> committed, Duration writing) {
        long end = System.nanoTime() + writing.toNanos();
        List<String> mine = new ArrayList<>();
        int writes = 0;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (System.nanoTime() < end) {
            TestServer replica = replicas.get(writes % replicas.size());
            TestServer.Reply reply;
            if (mine.isEmpty() || random.nextInt(3) > 0) {
                String id = "w" + writer + "-" + writes;
                reply = replica.v2("POST", "/tables/" + TABLE,
                        "{\"id\":\"" + id + "\",\"text\":\"item " + writes + "\",\"complete\":false}");
                assertThat(reply.status()).as("insert %s", id).isEqualTo(201);
                mine.add(id);
            } else {
                String id = mine.get(random.nextInt(mine.size()));
                reply = replica.v2("PATCH", "/tables/" + TABLE + "/" + id,
                        "{\"text\":\"updated " + writes + "\",\"complete\":" + random.nextBoolean() + "}");
                assertThat(reply.status()).as("update %s", id).isEqualTo(200);
            }
            JsonNode record = reply.json();
            committed.put(record.get("id").asText(), record.get("version").asText());
            writes++;
        }
        return writes;
    }

    private static Map<String, String> currentVersions(TestServer server) {
        Map<String, String> versions = new TreeMap<>();
        String token = null;
        while (true) {
            JsonNode page = server.v3("GET", "/tables/" + TABLE + "?$orderby=id&$select=id,version"
                    + (token == null ? "" : "&$filter=" + encode("id gt '" + token + "'")), null).json();
            for (JsonNode item : page.get("items")) {
                versions.put(item.get("id").asText(), item.get("version").asText());
                token = item.get("id").asText();
            }
            if (page.get("items").isEmpty()) {
                return versions;
            }
        }
    }

    /** An incremental reader as the official v2 clients read: {@code updatedAt gt <last updatedAt>}, pages of 50. */
    private static final class Reader {
        private final TestServer server;
        private final Map<String, String> seen = new ConcurrentHashMap<>();
        private String token = "1970-01-01T00:00:00.000Z";
        private int pages;

        Reader(TestServer server) {
            this.server = server;
        }

        int readPage() {
            String filter = encode("updatedAt gt datetimeoffset'" + token + "'");
            TestServer.Reply reply = server.v2("GET", "/tables/" + TABLE + "?$filter=" + filter
                    + "&$orderby=updatedAt&$top=50&__includeDeleted=true", null);
            assertThat(reply.status()).isEqualTo(200);
            JsonNode items = reply.json();
            for (JsonNode item : items) {
                seen.put(item.get("id").asText(), item.get("version").asText());
                token = item.get("updatedAt").asText();
            }
            pages++;
            return items.size();
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
