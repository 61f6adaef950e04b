package dev.outpost.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * A real Outpost server in a separate JVM (started from this jar's class path), so that the load this process
 * generates and the server's work are measured as two processes, as in production. Extra JVM options for the server
 * (for example a profiler) come from the environment variable {@code OUTPOST_BENCH_SERVER_OPTS}.
 */
final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;
    private final String databaseUrl;
    private final String maxHeap;
    private final List<String> extraArguments;

    private ServerProcess(Process process, int port, Path log, String databaseUrl, String maxHeap,
                          List<String> extraArguments) {
        this.process = process;
        this.maxHeap = maxHeap;
        this.port = port;
        this.log = log;
        this.databaseUrl = databaseUrl;
        this.extraArguments = List.copyOf(extraArguments);
    }

    /** Starts {@code outpost serve --database <url> <extra>} on a free port and waits until it is healthy. */
    static ServerProcess start(String databaseUrl, List<String> extraArguments) {
        return start(databaseUrl, freePort(), extraArguments);
    }

    /** Starts {@code outpost serve --database <url> <extra>} on {@code port} and waits until it is healthy. */
    static ServerProcess start(String databaseUrl, int port, List<String> extraArguments) {
        return start(databaseUrl, port, "1g", extraArguments);
    }

    /**
     * Starts {@code outpost serve --database <url> <extra>} on a free port with the heap capped at {@code maxHeap}
     * (as {@code -Xmx} takes it, e.g. {@code 512m}) and waits until it is healthy.
     */
    static ServerProcess start(String databaseUrl, String maxHeap, List<String> extraArguments) {
        return start(databaseUrl, freePort(), maxHeap, extraArguments);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ServerProcess start(String databaseUrl, int port, String maxHeap, List<String> extraArguments) {
        try {
            Path log = Files.createTempFile("outpost-bench-server-", ".log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + maxHeap));
            String jvmOptions = System.getenv("OUTPOST_BENCH_SERVER_OPTS");
            if (jvmOptions != null && !jvmOptions.isBlank()) {
                command.addAll(List.of(jvmOptions.trim().split("\\s+")));
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.outpost.server.ServerMain",
                    "serve", "--port", Integer.toString(port), "--database", databaseUrl));
            command.addAll(extraArguments);
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            ServerProcess server = new ServerProcess(process, port, log, databaseUrl, maxHeap,
                    extraArguments);
            server.awaitHealthy();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server's process, to measure its CPU time. */
    ProcessHandle handle() {
        return process.toHandle();
    }

    /** Where the server listens. */
    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    private void awaitHealthy() {
        OkHttpClient client = new OkHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited with " + process.exitValue() + "; log: " + log);
            }
            try (Response response = client.newCall(new Request.Builder().url(baseUrl() + "/health").build())
                    .execute()) {
                if (response.code() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the server", e);
            }
        }
        throw new IllegalStateException("server did not become healthy within 60 s; log: " + log);
    }

    /** Kills the server as {@code kill -9} does, and waits until it is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A new server on the same port and database, after this one was killed or stopped. */
    ServerProcess restart() {
        kill();
        return start(databaseUrl, port, maxHeap, extraArguments);
    }

    /**
     * Runs {@code jcmd <server pid> <command…>} (e.g. {@code GC.heap_info}) and returns its output; fails if jcmd
     * does not answer within a minute or exits with an error.
     */
    String jcmd(String... command) {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd")
                .toString(), Long.toString(process.pid())));
        line.addAll(List.of(command));
        try {
            Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
            byte[] output = jcmd.getInputStream().readAllBytes();
            if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", line) + " failed: " + new String(output));
            }
            return new String(output, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running jcmd", e);
        }
    }

    /** The server's resident memory in bytes (Linux: {@code VmRSS} of {@code /proc/<pid>/status}), or -1. */
    long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Not Linux, or the process is gone.
        }
        return -1;
    }

    /** Whether the server is still running. */
    boolean isAlive() {
        return process.isAlive();
    }

    /** The server's output so far (its log file). */
    Path log() {
        return log;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
