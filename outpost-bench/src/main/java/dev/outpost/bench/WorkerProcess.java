package dev.outpost.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ClientWorker} in its own JVM, and what it acknowledged: the last acknowledged write of each record (its
 * text, or {@code null} for a delete) and the record whose write was begun but not acknowledged when it died. Its
 * output goes to a file, not a pipe: what a process killed {@code -9} wrote to a file is all there, while the tail
 * of a pipe can be lost when the JDK tears the pipe down at the process's exit.
 */
final class WorkerProcess {
    private final Process process;
    private final Path output;

    private WorkerProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts a worker writing to {@code store} and pushing to {@code url}. */
    static WorkerProcess start(Path store, String url, String prefix, int writes, long seed) {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                ClientWorker.class.getName(), store.toString(), url, prefix, Integer.toString(writes),
                Long.toString(seed));
        try {
            Path output = Files.createTempFile("outpost-worker-", ".out");
            output.toFile().deleteOnExit();
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .start();
            return new WorkerProcess(process, output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Its complete lines so far. */
    private List<String> lines() {
        try {
            String text = Files.readString(output, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n');
            return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n", -1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the worker has opened its store (or died); false if it died first or took over a minute. */
    boolean awaitOpened() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (process.isAlive() && System.nanoTime() < deadline) {
            if (lines().contains("OPEN")) {
                return true;
            }
            Thread.sleep(5);
        }
        return lines().contains("OPEN");
    }

    /**
     * Waits until it has printed {@code count} lines after opening its store (writes begun and acknowledged, pushes),
     * or died, or a minute passed.
     */
    void awaitProgress(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (process.isAlive() && System.nanoTime() < deadline) {
            List<String> lines = lines();
            int opened = lines.indexOf("OPEN");
            if (opened >= 0 && lines.size() - opened - 1 >= count) {
                return;
            }
            Thread.sleep(2);
        }
    }

    /** Kills it as {@code kill -9} does, and waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits for it to finish on its own; false if it did not within a minute. */
    boolean awaitExit() throws InterruptedException {
        return process.waitFor(60, TimeUnit.SECONDS);
    }

    /** Whether it finished its writes and its last push. */
    boolean done() {
        return lines().contains("DONE");
    }

    /** The last acknowledged write of each record it wrote: its text, or {@code null} for a delete. */
    Map<String, String> acknowledged() {
        Map<String, String> acknowledged = new HashMap<>();
        for (String line : lines()) {
            if (line.startsWith("ACK PUT ")) {
                String rest = line.substring(8);
                int space = rest.indexOf(' ');
                acknowledged.put(rest.substring(0, space), rest.substring(space + 1));
            } else if (line.startsWith("ACK DEL ")) {
                acknowledged.put(line.substring(8), null);
            }
        }
        return acknowledged;
    }

    /** The record whose write was begun and not acknowledged when it died, or {@code null}. */
    String inDoubt() {
        String doubt = null;
        for (String line : lines()) {
            if (line.startsWith("BEGIN ")) {
                doubt = line.substring(6);
            } else if (line.startsWith("ACK ")) {
                doubt = null;
            }
        }
        return doubt;
    }

    /** Its last lines, for a failure message. */
    String output() {
        List<String> lines = new ArrayList<>(lines());
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
