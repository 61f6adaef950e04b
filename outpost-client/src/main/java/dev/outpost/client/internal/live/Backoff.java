package dev.outpost.client.internal.live;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The delays between retries: {@code initial}, doubling up to {@code max}, each with jitter (a random point between
 * half and all of it, so that clients cut off together do not all come back together), back to {@code initial}
 * after {@link #reset()}. Not thread-safe: its owner guards it.
 */
final class Backoff {
    private final long initialNanos;
    private final long maxNanos;
    private final DoubleSupplier random;
    private int failures;

    Backoff(Duration initial, Duration max) {
        this(initial, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** With {@code random} giving numbers in {@code [0, 1)}. */
    Backoff(Duration initial, Duration max, DoubleSupplier random) {
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.random = random;
    }

    /** The delay before the next retry; each call counts one more failure. */
    Duration next() {
        long base = initialNanos;
        for (int i = 0; i < failures && base < maxNanos; i++) {
            base *= 2;
        }
        base = Math.min(base, maxNanos);
        failures++;
        long half = base / 2;
        return Duration.ofNanos(half + (long) (random.getAsDouble() * (base - half)));
    }

    /** Back to the initial delay (after a success). */
    void reset() {
        failures = 0;
    }
}
