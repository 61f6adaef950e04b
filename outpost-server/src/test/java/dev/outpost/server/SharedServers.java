package dev.outpost.server;

import dev.outpost.testing.TestDatabase;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * Base of test classes that share one dynamic-schema server per database across their tests (each test uses its
 * own fresh table names), closed after the class.
 */
public abstract class SharedServers {
    private static final Map<TestDatabase, TestServer> SERVERS = new EnumMap<>(TestDatabase.class);

    /** The shared server on {@code database}, started on first use. */
    protected static synchronized TestServer server(TestDatabase database) {
        return SERVERS.computeIfAbsent(database, TestServer::start);
    }

    @AfterAll
    static synchronized void stopServers() {
        SERVERS.values().forEach(TestServer::close);
        SERVERS.clear();
    }
}
