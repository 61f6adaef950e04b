package dev.outpost.client.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The leak check fails a test that leaves an Outpost thread alive, and only such a test. */
class OutpostThreadsTest {

    @Test
    void aThreadLeftAliveFailsTheCheckByName() throws InterruptedException {
        OutpostThreads before = OutpostThreads.snapshot();
        CountDownLatch stop = new CountDownLatch(1);
        Thread leaked = new Thread(() -> {
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "outpost-leak-under-test");
        leaked.start();
        try {
            assertThat(before.leaked(Duration.ofMillis(50))).containsExactly(leaked);
            assertThatThrownBy(() -> before.assertNoneLeaked(Duration.ofMillis(50))).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("outpost-leak-under-test");
        } finally {
            stop.countDown();
            leaked.join();
        }
        before.assertNoneLeaked();
    }

    @Test
    void aThreadThatStopsWithinTheGracePeriodPasses() {
        OutpostThreads before = OutpostThreads.snapshot();
        Thread stopping = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "outpost-stopping-under-test");
        stopping.start();

        assertThat(before.leaked(Duration.ofSeconds(5))).isEmpty();
    }

    @Test
    void threadsAliveBeforeTheTestAreNotItsLeaks() throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        Thread older = new Thread(() -> {
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "outpost-older-than-the-test");
        older.start();
        try {
            OutpostThreads before = OutpostThreads.snapshot();

            assertThat(before.leaked(Duration.ofMillis(50))).isEmpty();
        } finally {
            stop.countDown();
            older.join();
        }
    }
}
