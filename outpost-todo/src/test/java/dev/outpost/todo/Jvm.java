package dev.outpost.todo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts classes of this test class path, or a jar, in new JVMs: the way a user's shell starts the app. */
final class Jvm {
    /** Flags that make a short-lived JVM cheaper on a busy machine, as the launcher's. */
    static final List<String> QUICK = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
            "-Xlog:cds=off", "-Xlog:cds+dynamic=off");

    /** Class-data archives recorded for jars in this test run (a jar → its archive, or absent if none). */
    private static final Map<Path, Path> ARCHIVES = new java.util.concurrent.ConcurrentHashMap<>();

    private Jvm() {
    }

    /** The {@code java} of the JVM running the tests. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A process builder for {@code java -cp <test class path> mainClass args…}. */
    static ProcessBuilder mainClass(String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(QUICK);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        return new ProcessBuilder(command);
    }

    /**
     * The app as the launcher starts it: the shaded jar ({@code outpost.todoJar}, set for the tests that run after
     * {@code package}) with its class-data archive, or else the main class on this test class path.
     */
    static ProcessBuilder app(List<String> args) {
        String jar = System.getProperty("outpost.todoJar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            return mainClass("dev.outpost.todo.TodoApp", args);
        }
        ProcessBuilder builder = jar(Path.of(jar), args);
        Path archive = archive(Path.of(jar));
        if (archive != null) {
            builder.command().add(1, "-XX:SharedArchiveFile=" + archive);
        }
        return builder;
    }

    /**
     * Records, once per test run, which classes the jar loads (as the launcher does after each build), so that the
     * walkthrough's many short JVMs map them instead of loading and verifying them again. The recording run is a
     * {@code sync} against a closed port, which loads the store, the client and OkHttp. Returns null (a plain start)
     * if the JVM cannot record one.
     */
    private static Path archive(Path jar) {
        return ARCHIVES.computeIfAbsent(jar, j -> {
            try {
                Path dir = Files.createTempDirectory("outpost-todo-cds-");
                Path file = dir.resolve("outpost-todo.jsa");
                // Deleted at exit in the reverse order of registration: the files, then the folder.
                dir.toFile().deleteOnExit();
                for (String name : List.of("outpost-todo.jsa", "archive.db", "archive.log", "archive.properties",
                        "archive.db-wal", "archive.db-shm")) {
                    dir.resolve(name).toFile().deleteOnExit();
                }
                List<String> args = List.of("--store", dir.resolve("archive.db").toString(), "sync", "--server",
                        "http://127.0.0.1:1");
                ProcessBuilder builder = jar(j, args);
                builder.command().add(1, "-XX:ArchiveClassesAtExit=" + file);
                Process process = builder.redirectErrorStream(true).redirectOutput(dir.resolve("archive.log").toFile())
                        .start();
                boolean done = process.waitFor(2, java.util.concurrent.TimeUnit.MINUTES);
                return done && Files.isRegularFile(file) && Files.size(file) > 0 ? file : dir.resolve("none");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }).getFileName().toString().equals("none") ? null : ARCHIVES.get(jar);
    }

    /** A process builder for {@code java -jar jar args…}. */
    static ProcessBuilder jar(Path jar, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(QUICK);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        return new ProcessBuilder(command);
    }

    /** What a finished process did. */
    record Result(List<String> command, int exitCode, String out, String err) {
        /** The lines of standard output. */
        List<String> outLines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }

        /** The lines of standard error. */
        List<String> errLines() {
            return err.isEmpty() ? List.of() : List.of(err.split("\n"));
        }

        @Override
        public String toString() {
            int main = Math.max(command.indexOf("-cp") + 2, command.indexOf("-jar") + 1);
            return String.join(" ", command.subList(Math.min(main, command.size()), command.size()))
                    + "\n  exit " + exitCode + "\n  out: " + out.replace("\n", "\n       ")
                    + "\n  err: " + err.replace("\n", "\n       ");
        }
    }

    /** Runs a process to its end (at most two minutes), with {@code env} added to the environment. */
    static Result run(ProcessBuilder builder, Map<String, String> env) {
        builder.environment().putAll(env);
        builder.environment().remove("NO_COLOR");
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread errReader = new Thread(() -> copy(process.getErrorStream(), err), "stderr-reader");
            errReader.start();
            byte[] out = process.getInputStream().readAllBytes();
            errReader.join();
            if (!process.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("process did not finish: " + builder.command());
            }
            return new Result(builder.command(), process.exitValue(), new String(out, StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            // The process went away: what was read is kept.
        }
    }
}
