package dev.outpost.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Runs one request function from many threads, each with its own keep-alive connection, and measures throughput and
 * latency (HdrHistogram, microseconds).
 */
final class Load {

    /** One request; returns normally when the server answered as expected. */
    @FunctionalInterface
    interface Call {
        void run(int thread, long sequence) throws Exception;
    }

    /** What a run measured. */
    record Result(long requests, long errors, double seconds, Histogram latencyMicros) {
        double perSecond() {
            return requests / seconds;
        }

        String describe(String unit) {
            return String.format("%,.0f %s/s  (%,d in %.1f s, errors %d)  latency p50 %.2f ms  p99 %.2f ms  "
                    + "max %.1f ms", perSecond(), unit, requests, seconds, errors,
                    latencyMicros.getValueAtPercentile(50) / 1000.0,
                    latencyMicros.getValueAtPercentile(99) / 1000.0, latencyMicros.getMaxValue() / 1000.0);
        }
    }

    private Load() {
    }

    /** Runs {@code call} from {@code threads} threads for {@code time}. */
    static Result forDuration(int threads, Duration time, Call call) throws Exception {
        return run(threads, time, Long.MAX_VALUE, call);
    }

    /** Runs {@code call} from {@code threads} threads until {@code total} calls have been made. */
    static Result forCount(int threads, long total, Call call) throws Exception {
        return run(threads, Duration.ofDays(1), total, call);
    }

    private static Result run(int threads, Duration time, long total, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicLong next = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long end = start + time.toNanos();
        List<Future<Histogram>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                Histogram histogram = new Histogram(60_000_000L, 3);
                while (true) {
                    long sequence = next.getAndIncrement();
                    if (sequence >= total || System.nanoTime() >= end) {
                        return histogram;
                    }
                    long t0 = System.nanoTime();
                    try {
                        call.run(thread, sequence);
                    } catch (Exception e) {
                        if (errors.incrementAndGet() <= 3) {
                            System.err.println("  request failed: " + e);
                        }
                    }
                    histogram.recordValue(Math.min((System.nanoTime() - t0) / 1000, 60_000_000L));
                }
            }));
        }
        Histogram all = new Histogram(60_000_000L, 3);
        for (Future<Histogram> future : futures) {
            all.add(future.get());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return new Result(all.getTotalCount() - errors.get(), errors.get(), seconds, all);
    }
}
