package dev.outpost.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/** The direct formatting and parsing paths agree with java.time for every millisecond of years 0001–9999. */
class TimestampsFastPathTest {
    private static final DateTimeFormatter REFERENCE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Property(tries = 20_000)
    void formatMatchesJavaTime(@ForAll @LongRange(min = -62_135_596_800_000L, max = 253_402_300_799_999L) long millis) {
        Instant instant = Instant.ofEpochMilli(millis);
        assertThat(Timestamps.formatMillis(millis)).isEqualTo(REFERENCE.format(instant));
        assertThat(Timestamps.format(instant.plusNanos(999_999))).isEqualTo(REFERENCE.format(instant));
    }

    @Property(tries = 20_000)
    void parseOfTheCanonicalFormIsExact(
            @ForAll @LongRange(min = -62_135_596_800_000L, max = 253_402_300_799_999L) long millis) {
        assertThat(Timestamps.parse(REFERENCE.format(Instant.ofEpochMilli(millis))).toEpochMilli()).isEqualTo(millis);
    }
}
