package dev.outpost.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.testing.TestDatabase;
import dev.outpost.testing.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any number of replicas may start at once on a fresh or an older PostgreSQL database: the system tables and declared
 * tables and columns are created under the schema lock, so no replica dies of a concurrent
 * {@code CREATE TABLE IF NOT EXISTS} or {@code ALTER TABLE … ADD COLUMN}.
 */
class ReplicaStartupTest {
    private static final int REPLICAS = 4;
    private static final int ATTEMPTS = 10;

    @TempDir
    Path dir;

    @BeforeAll
    static void postgres() {
        TestPostgres.requireOrSkip();
    }

    @Test
    void fourReplicasStartTogetherOnAFreshDatabaseTenTimes() throws Exception {
        Path tables = Files.writeString(dir.resolve("tables.json"),
                "{\"todoitem\": {\"columns\": {\"text\": \"string\", \"complete\": \"boolean\"}}}");
        ExecutorService pool = Executors.newFixedThreadPool(REPLICAS);
        try {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                // Even attempts use the dynamic schema, odd ones also create a declared table at start-up.
                Path file = attempt % 2 == 0 ? null : tables;
                startTogether(pool, attempt, b -> b.tablesFile(file).poolSize(2));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void fourReplicasUpgradingAnOlderDatabaseTogetherAllStart() throws Exception {
        Path older = Files.writeString(dir.resolve("v1.json"),
                "{\"todoitem\": {\"columns\": {\"text\": \"string\"}}}");
        Path newer = Files.writeString(dir.resolve("v2.json"), "{\"todoitem\": {\"columns\": {\"text\": \"string\", "
                + "\"complete\": \"boolean\", \"due\": \"date\"}}, \"audit\": {\"columns\": {\"at\": \"date\"}}}");
        ExecutorService pool = Executors.newFixedThreadPool(REPLICAS);
        try {
            for (int attempt = 0; attempt < 3; attempt++) {
                String url = TestDatabase.POSTGRES.createUrl();
                TestServer.startOn(TestDatabase.POSTGRES, url, b -> b.tablesFile(older)).stopKeepingDatabase();
                startTogether(pool, attempt, url, b -> b.tablesFile(newer).poolSize(2));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void startTogether(ExecutorService pool, int attempt,
                                      UnaryOperator<ServerConfig.Builder> configure) throws Exception {
        startTogether(pool, attempt, TestDatabase.POSTGRES.createUrl(), configure);
    }

    private static void startTogether(ExecutorService pool, int attempt, String url,
                                      UnaryOperator<ServerConfig.Builder> configure) throws Exception {
        CountDownLatch ready = new CountDownLatch(REPLICAS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<TestServer>> starting = new ArrayList<>();
        for (int i = 0; i < REPLICAS; i++) {
            starting.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                return TestServer.startOn(TestDatabase.POSTGRES, url, configure);
            }));
        }
        ready.await();
        go.countDown();
        List<TestServer> servers = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (Future<TestServer> future : starting) {
            try {
                servers.add(future.get());
            } catch (java.util.concurrent.ExecutionException e) {
                failures.add(e.getCause());
            }
        }
        try {
            assertThat(failures).as("start-up failures in attempt %d", attempt).isEmpty();
            String id = "r" + attempt;
            assertThat(servers.get(0).v3("POST", "/tables/todoitem",
                    "{\"id\":\"" + id + "\",\"text\":\"written through replica 0\"}").status()).isEqualTo(201);
            for (TestServer other : servers.subList(1, servers.size())) {
                TestServer.Reply read = other.v3("GET", "/tables/todoitem/" + id, null);
                assertThat(read.status()).isEqualTo(200);
                assertThat(read.json().get("text").asText()).isEqualTo("written through replica 0");
            }
        } finally {
            servers.forEach(TestServer::stopKeepingDatabase);
            TestDatabase.POSTGRES.drop(url);
        }
    }
}
