package dev.outpost.client.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The check that a test left no Outpost thread behind: a thread whose name starts with {@code outpost-} (a push's
 * {@code outpost-push-sender}, a store's {@code outpost-store-checkpoint}, a server's {@code outpost-writer-*} and
 * {@code outpost-maintenance}, …) that was not alive before the test began. Threads that are stopping get a grace
 * period, since executors stop their threads asynchronously.
 */
public final class OutpostThreads {
    /** How long threads that are stopping may take. */
    static final Duration GRACE = Duration.ofSeconds(5);
    private static final String PREFIX = "outpost-";

    private final Set<Thread> before;

    private OutpostThreads(Set<Thread> before) {
        this.before = before;
    }

    /** Notes the Outpost threads alive now, which the check will not blame on the test. */
    public static OutpostThreads snapshot() {
        return new OutpostThreads(new HashSet<>(alive()));
    }

    /** The Outpost threads started since the snapshot that are still alive after the grace period. */
    public List<Thread> leaked(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        while (true) {
            List<Thread> leaked = new ArrayList<>();
            for (Thread thread : alive()) {
                if (!before.contains(thread)) {
                    leaked.add(thread);
                }
            }
            if (leaked.isEmpty() || System.nanoTime() > deadline) {
                return leaked;
            }
            for (Thread thread : leaked) {
                try {
                    thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return leaked;
                }
            }
        }
    }

    /**
     * Fails if an Outpost thread started since the snapshot is still alive after the grace period.
     *
     * @throws AssertionError naming each leaked thread and where it stands
     */
    public void assertNoneLeaked() {
        assertNoneLeaked(GRACE);
    }

    /** {@link #assertNoneLeaked()} with another grace period. */
    void assertNoneLeaked(Duration grace) {
        List<Thread> leaked = leaked(grace);
        if (!leaked.isEmpty()) {
            throw new AssertionError("Outpost threads still alive after the test closed its fixture:\n"
                    + leaked.stream().map(OutpostThreads::describe).collect(Collectors.joining("\n")));
        }
    }

    private static String describe(Thread thread) {
        StackTraceElement[] stack = thread.getStackTrace();
        StringBuilder text = new StringBuilder("  ").append(thread.getName()).append(" (").append(thread.getState())
                .append(")");
        for (int i = 0; i < Math.min(5, stack.length); i++) {
            text.append("\n      at ").append(stack[i]);
        }
        return text.toString();
    }

    private static Set<Thread> alive() {
        Set<Thread> threads = new HashSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.isAlive() && thread.getName().startsWith(PREFIX)) {
                threads.add(thread);
            }
        }
        return threads;
    }
}
