package dev.outpost.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The official Azure Mobile Apps Node server (azure-mobile-apps 4.x, sqlite provider; one soft-delete table
 * {@code todoitem} with the columns {@code text}, {@code complete} and {@code note}) in a child process, for
 * compatibility tests. Installed by {@code outpost-client/scripts/install-node-server.sh} into
 * {@code ~/.cache/outpost-node-server} (or the directory in {@code -Doutpost.nodeServerDir}).
 *
 * <p>Where it is not installed (or its installation is broken: its modules do not load), the tests that need it
 * are <b>skipped</b> with a message saying so, unless {@code -Doutpost.requireNodeServer=true} is set (as
 * {@code .ci/run} sets it): then they fail.
 */
public final class OfficialNodeServer implements AutoCloseable {
    /** The system property that turns a missing installation into a failure. */
    public static final String REQUIRE_PROPERTY = "outpost.requireNodeServer";
    private static volatile boolean announced;
    /** What is wrong with the installation ({@code ""}: nothing), found once per JVM. */
    private static volatile String checked;

    private final Process process;
    private final int port;

    private OfficialNodeServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts a server whose database is a file in {@code dir}.
     *
     * @throws org.opentest4j.TestAbortedException where the server is not installed and not required
     */
    public static OfficialNodeServer start(Path dir) {
        Path home = installation();
        try {
            Path script = dir.resolve("outpost-node-server.js");
            try (InputStream in = OfficialNodeServer.class.getResourceAsStream("/node-server/server.js")) {
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            }
            ProcessBuilder builder = new ProcessBuilder("node", script.toString(), dir.resolve("node.db").toString())
                    .redirectErrorStream(true);
            builder.environment().put("NODE_PATH", home.resolve("node_modules").toString());
            Process process = builder.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            String line;
            int found = -1;
            StringBuilder seen = new StringBuilder();
            while ((line = out.readLine()) != null) {
                if (line.startsWith("LISTENING ")) {
                    found = Integer.parseInt(line.substring("LISTENING ".length()).trim());
                    break;
                }
                seen.append(line).append('\n');
            }
            if (found < 0) {
                process.destroyForcibly();
                throw new IllegalStateException("the official Node server did not start:\n" + seen);
            }
            Thread drain = new Thread(() -> {
                try {
                    while (out.readLine() != null) {
                        // Keep the pipe empty so the server never blocks on a full stdout.
                    }
                } catch (IOException e) {
                    // The process ended.
                }
            }, "node-server-output");
            drain.setDaemon(true);
            drain.start();
            return new OfficialNodeServer(process, found);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The installation directory; a skipped test when there is none (a failure when it is required). An
     * installation counts only when its modules load, so that an interrupted install is not taken for one.
     */
    private static Path installation() {
        String configured = System.getProperty("outpost.nodeServerDir");
        Path home = configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "outpost-node-server");
        if (checked == null) {
            String found = problem(home);
            checked = found == null ? "" : found;
        }
        String problem = checked.isEmpty() ? null : checked;
        if (problem != null) {
            String message = "official Node server (azure-mobile-apps 4.x) " + problem + " in " + home
                    + " (install it with outpost-client/scripts/install-node-server.sh)";
            if (Boolean.getBoolean(REQUIRE_PROPERTY)) {
                throw new IllegalStateException(message + "; it is required here (-D" + REQUIRE_PROPERTY
                        + "=true)");
            }
            if (!announced) {
                announced = true;
                System.out.println("[outpost] " + message + ": its compatibility tests are SKIPPED");
            }
            Assumptions.abort(message);
        }
        return home;
    }

    private static String problem(Path home) {
        if (!Files.isDirectory(home.resolve("node_modules/azure-mobile-apps"))
                || !Files.isRegularFile(home.resolve("node_modules/sqlite3/build/Release/node_sqlite3.node"))) {
            return "not installed";
        }
        try {
            ProcessBuilder check = new ProcessBuilder("node", "-e", "require('azure-mobile-apps'); "
                    + "require('sqlite3'); require('express')").redirectErrorStream(true);
            check.environment().put("NODE_PATH", home.resolve("node_modules").toString());
            Process process = check.start();
            process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return "broken (its modules do not load)";
            }
            return null;
        } catch (IOException e) {
            return "not runnable (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "not checked (interrupted)";
        }
    }

    /** The server's base URL. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The port it serves on (127.0.0.1). */
    public int port() {
        return port;
    }

    /** Stops the server. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
