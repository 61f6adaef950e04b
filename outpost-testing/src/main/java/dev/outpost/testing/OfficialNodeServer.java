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
import java.util.List;
import java.util.concurrent.TimeUnit;

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
    private static final NodeInstallation INSTALLATION = new NodeInstallation(
            "official Node server (azure-mobile-apps 4.x)", "outpost.nodeServerDir", "outpost-node-server",
            REQUIRE_PROPERTY, "outpost-client/scripts/install-node-server.sh",
            List.of("azure-mobile-apps", "sqlite3", "express"));

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
        Path home = INSTALLATION.home();
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
