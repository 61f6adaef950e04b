package dev.outpost.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.testing.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SmokeTest {
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void insertThenQueryReturnsTheRecord(TestDatabase db) {
        try (TestServer server = TestServer.start(db)) {
            TestServer.Reply inserted = server.v2("POST", "/tables/todoitem", "{\"text\":\"milk\",\"complete\":false}");
            assertThat(inserted.status()).as(inserted.toString()).isEqualTo(201);
            TestServer.Reply list = server.v2("GET", "/tables/todoitem", null);
            assertThat(list.status()).as(list.toString()).isEqualTo(200);
            assertThat(list.json()).hasSize(1);
            assertThat(list.header("X-Outpost-Server")).isNotBlank();
        }
    }
}
