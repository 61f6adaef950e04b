package dev.outpost.client.internal.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private double random;
    private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), () -> random);

    @Test
    void delaysDoubleFromTheInitialOneUpToTheMaximum() {
        random = 0.999_999_999;
        assertThat(delaysMillis(9)).containsExactly(499L, 999L, 1999L, 3999L, 7999L, 15999L, 29999L, 29999L, 29999L);
    }

    @Test
    void jitterTakesBetweenHalfAndAllOfEachDelay() {
        random = 0;
        assertThat(delaysMillis(8)).containsExactly(250L, 500L, 1000L, 2000L, 4000L, 8000L, 15000L, 15000L);
    }

    @Test
    void resetStartsOverFromTheInitialDelay() {
        random = 0;
        delaysMillis(5);
        backoff.reset();
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void manyFailuresStayAtTheMaximumWithoutOverflowing() {
        random = 0.5;
        for (int i = 0; i < 200; i++) {
            backoff.next();
        }
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(22_500));
    }

    private List<Long> delaysMillis(int n) {
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            delays.add(backoff.next().toMillis());
        }
        return delays;
    }
}
