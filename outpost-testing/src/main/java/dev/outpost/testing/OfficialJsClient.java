package dev.outpost.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The official Azure Mobile Apps JavaScript client (npm {@code azure-mobile-apps-client} 2.0.1) run under Node.js by
 * a small harness ({@code /js-client/harness.js}), for compatibility tests. Each {@link #run} is one Node process
 * that carries out a spec's steps (online table calls, or the offline store, push and pull) and answers with the
 * line {@code RESULT <json>}: each step's outcome and every HTTP request the client made. Installed by
 * {@code outpost-client/scripts/install-js-client.sh} into {@code ~/.cache/outpost-js-client} (or the directory in
 * {@code -Doutpost.jsClientDir}), with {@code xhr2} for XMLHttpRequest and {@code sqlite3} under the harness's
 * stand-in for Cordova's SQLite plugin.
 *
 * <p>Where it is not installed (or its modules do not load), the tests that need it are <b>skipped</b> with a
 * message saying so, unless {@code -Doutpost.requireJsClient=true} is set (as {@code .ci/run} sets it): then they
 * fail.
 */
public final class OfficialJsClient {
    /** The system property that turns a missing installation into a failure. */
    public static final String REQUIRE_PROPERTY = "outpost.requireJsClient";
    private static final String[] FILES = {"harness.js", "sqlite-plugin.js"};
    private static final NodeInstallation INSTALLATION = new NodeInstallation(
            "official JS client (azure-mobile-apps-client 2.0.1)", "outpost.jsClientDir", "outpost-js-client",
            REQUIRE_PROPERTY, "outpost-client/scripts/install-js-client.sh",
            List.of("azure-mobile-apps-client", "xhr2", "sqlite3"));

    private final Path home;
    private final Path dir;

    private OfficialJsClient(Path home, Path dir) {
        this.home = home;
        this.dir = dir;
    }

    /**
     * A client whose harness, specs and offline stores live in {@code dir}.
     *
     * @throws org.opentest4j.TestAbortedException where the client is not installed and not required
     */
    public static OfficialJsClient in(Path dir) {
        Path home = INSTALLATION.home();
        try {
            for (String file : FILES) {
                try (InputStream in = OfficialJsClient.class.getResourceAsStream("/js-client/" + file)) {
                    Files.copy(in, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new OfficialJsClient(home, dir);
    }

    /** The directory the offline stores' files are kept in. */
    public Path storeDir() {
        return dir;
    }

    /**
     * Runs the harness on {@code spec} (JSON, see {@code harness.js}) and returns the JSON after {@code RESULT}.
     *
     * @throws IllegalStateException where the harness fails or prints no result
     */
    public String run(String spec) {
        try {
            Path file = Files.createTempFile(dir, "spec", ".json");
            Files.writeString(file, spec);
            ProcessBuilder builder = new ProcessBuilder("node", dir.resolve("harness.js").toString(),
                    file.toString()).directory(dir.toFile());
            builder.environment().put("NODE_PATH", home.resolve("node_modules").toString());
            Process process = builder.start();
            process.getOutputStream().close();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            String out = read(process.getInputStream());
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("the JS client harness did not finish in 120 s:\n" + out);
            }
            String errors = err.join();
            for (String line : out.split("\n")) {
                if (line.startsWith("RESULT ") && process.exitValue() == 0) {
                    return line.substring("RESULT ".length());
                }
            }
            throw new IllegalStateException("the JS client harness exited " + process.exitValue()
                    + " without a result:\n" + out + errors);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
