package dev.outpost.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TimestampsTest {

    @Test
    void formatAlwaysWritesThreeFractionalDigitsAndZ() {
        assertThat(Timestamps.format(Instant.parse("2026-11-23T06:32:01Z"))).isEqualTo("2026-11-23T06:32:01.000Z");
        assertThat(Timestamps.format(Instant.parse("2026-11-23T06:32:01.2Z"))).isEqualTo("2026-11-23T06:32:01.200Z");
        assertThat(Timestamps.format(Instant.parse("2026-11-23T06:32:01.2139999Z")))
                .isEqualTo("2026-11-23T06:32:01.213Z");
        assertThat(Timestamps.formatMillis(0)).isEqualTo("1970-01-01T00:00:00.000Z");
    }

    @ParameterizedTest
    @CsvSource({
        "2026-11-23T06:41:44.942Z,          2026-11-23T06:41:44.942Z",
        "2026-11-23T06:41:44.9420000+00:00, 2026-11-23T06:41:44.942Z",
        "2026-11-23T08:41:44.942+02:00,     2026-11-23T06:41:44.942Z",
        "2026-11-23T06:41:44Z,              2026-11-23T06:41:44.000Z",
        "2026-11-23T06:41Z,                 2026-11-23T06:41:00.000Z",
        "2026-11-23T06:41:44.1Z,            2026-11-23T06:41:44.100Z",
        "2026-11-23T06:41:44.9999999-05:30, 2026-11-23T12:11:44.999Z",
    })
    void parseAcceptsZeroToSevenDigitsAndAnyOffset(String in, String out) {
        assertThat(Timestamps.format(Timestamps.parse(in))).isEqualTo(out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-date", "2026-11-23", "2026-11-23T06:41:44", "2026-13-01T00:00:00Z",
        "2026-11-23T06:41:44.12345678Z", "2026-02-30T00:00:00Z", " 2026-11-23T06:41:44Z"})
    void parseRefusesWhatIsNotATimestampWithAnOffset(String text) {
        assertThat(Timestamps.isTimestamp(text)).isFalse();
        assertThatThrownBy(() -> Timestamps.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timestamp");
    }
}
