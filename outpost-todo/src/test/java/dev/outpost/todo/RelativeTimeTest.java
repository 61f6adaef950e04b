package dev.outpost.todo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RelativeTimeTest {
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00.000Z");

    @ParameterizedTest
    @CsvSource({
        "-30, just now",
        "0, just now",
        "9, just now",
        "42, 42 seconds ago",
        "60, 1 minute ago",
        "150, 2 minutes ago",
        "3600, 1 hour ago",
        "18000, 5 hours ago",
        "86400, yesterday",
        "259200, 3 days ago",
        "5184000, on 2026-09-24",
    })
    void timesReadAsPeopleSayThem(long secondsAgo, String expected) {
        assertThat(RelativeTime.ago(NOW.minus(Duration.ofSeconds(secondsAgo)), NOW, ZoneOffset.UTC))
                .isEqualTo(expected);
    }
}
