package dev.outpost.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Optional;

/**
 * CPU time spent by the server process, this load generator and PostgreSQL's processes during one phase, so that a
 * figure can be read as "CPU per request" on a machine whose cores are shared: throughput moves with the machine's
 * load, the CPU a request costs much less so. PostgreSQL's figure sums every {@code postgres} process of the
 * machine, so other users of the same PostgreSQL show up in it.
 */
final class CpuMeter {
    private final ProcessHandle server;
    private final long serverStart;
    private final long ownStart;
    private final long postgresStart;
    private final double loadStart;

    private CpuMeter(ProcessHandle server) {
        this.server = server;
        this.serverStart = cpuNanos(server);
        this.ownStart = ownCpuNanos();
        this.postgresStart = postgresCpuNanos();
        this.loadStart = loadAverage();
    }

    /** Starts measuring now. */
    static CpuMeter start(ProcessHandle server) {
        return new CpuMeter(server);
    }

    /** The server's CPU time per unit of work since {@link #start}, in microseconds. */
    double serverMicrosPer(long units) {
        return (cpuNanos(server) - serverStart) / 1e3 / units;
    }

    /** CPU per unit of work since {@link #start}, e.g. {@code CPU/request: server 310 µs, load 120 µs, ...}. */
    String perUnit(long units, String unit) {
        double server = (cpuNanos(this.server) - serverStart) / 1e3 / units;
        double own = (ownCpuNanos() - ownStart) / 1e3 / units;
        double postgres = (postgresCpuNanos() - postgresStart) / 1e3 / units;
        return String.format("    CPU/%s: server %.1f µs, load generator %.1f µs, postgres processes %.1f µs"
                + "  (load average %.1f → %.1f)", unit, server, own, postgres, loadStart, loadAverage());
    }

    private static long cpuNanos(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static long ownCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long postgresCpuNanos() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false))
                .map(ProcessHandle::info)
                .map(ProcessHandle.Info::totalCpuDuration)
                .flatMap(Optional::stream)
                .mapToLong(Duration::toNanos)
                .sum();
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
