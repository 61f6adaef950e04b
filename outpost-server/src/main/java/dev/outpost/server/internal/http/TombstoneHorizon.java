package dev.outpost.server.internal.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How far back a pull can resume without missing a deletion: tombstones older than the retention are purged, so a
 * position older than {@code now − retention} may be past a purged tombstone. The rule needs no state, so every
 * replica answers alike; a client that has not pulled for longer than the retention starts again from scratch even
 * when nothing was purged since. Immutable.
 *
 * @param clock     the server's clock
 * @param retention how long tombstones are kept ({@link Duration#ZERO}: forever, so there is no horizon)
 */
public record TombstoneHorizon(Clock clock, Duration retention) {
    public TombstoneHorizon {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(retention, "retention");
    }

    /** The horizon now, or empty when tombstones are kept forever. */
    Optional<Instant> now() {
        return retention.isZero() ? Optional.empty() : Optional.of(clock.instant().minus(retention));
    }
}
