package dev.outpost.client.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The system clock, or a fixed instant while a test freezes it. Thread-safe. */
public final class MutableClock extends Clock {
    private volatile Instant frozen;

    /** Freezes the clock at {@code instant} ({@code null}: back to the system clock). */
    public void freeze(Instant instant) {
        this.frozen = instant;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        Instant now = frozen;
        return now != null ? now : Instant.now();
    }
}
