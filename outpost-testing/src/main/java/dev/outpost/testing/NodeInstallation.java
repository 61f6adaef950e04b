package dev.outpost.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * An npm installation that compatibility tests run under Node.js (the official Node server, the official JS
 * client), in {@code ~/.cache/NAME} or the directory a system property names. It counts only when its modules
 * load, so that an interrupted install is not taken for one; that is checked once per JVM. Where it does not, the
 * tests that need it are skipped with a message saying so, or fail when the require property is set (as
 * {@code .ci/run} sets it). Thread-safe.
 */
final class NodeInstallation {
    private final String what;
    private final String dirProperty;
    private final String cacheName;
    private final String requireProperty;
    private final String installScript;
    private final List<String> modules;
    private volatile boolean announced;
    /** What is wrong with the installation ({@code ""}: nothing), found once. */
    private volatile String checked;

    /**
     * @param what            what it is, for messages ("official Node server (azure-mobile-apps 4.x)")
     * @param dirProperty     the system property naming its directory
     * @param cacheName       its directory under {@code ~/.cache} otherwise
     * @param requireProperty the system property that turns a missing installation into a failure
     * @param installScript   the script that installs it, for messages
     * @param modules         the modules that must load, the first being the one it is about
     */
    NodeInstallation(String what, String dirProperty, String cacheName, String requireProperty,
                     String installScript, List<String> modules) {
        this.what = what;
        this.dirProperty = dirProperty;
        this.cacheName = cacheName;
        this.requireProperty = requireProperty;
        this.installScript = installScript;
        this.modules = List.copyOf(modules);
    }

    /**
     * The installation directory.
     *
     * @throws org.opentest4j.TestAbortedException where it is not installed and not required
     * @throws IllegalStateException               where it is not installed and required
     */
    Path home() {
        String configured = System.getProperty(dirProperty);
        Path home = configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", cacheName);
        if (checked == null) {
            String found = problem(home);
            checked = found == null ? "" : found;
        }
        String problem = checked.isEmpty() ? null : checked;
        if (problem != null) {
            String message = what + " " + problem + " in " + home + " (install it with " + installScript + ")";
            if (Boolean.getBoolean(requireProperty)) {
                throw new IllegalStateException(message + "; it is required here (-D" + requireProperty + "=true)");
            }
            if (!announced) {
                announced = true;
                System.out.println("[outpost] " + message + ": its compatibility tests are SKIPPED");
            }
            Assumptions.abort(message);
        }
        return home;
    }

    private String problem(Path home) {
        if (!Files.isDirectory(home.resolve("node_modules/" + modules.get(0)))
                || !Files.isRegularFile(home.resolve("node_modules/sqlite3/build/Release/node_sqlite3.node"))) {
            return "not installed";
        }
        StringBuilder requires = new StringBuilder();
        for (String module : modules) {
            requires.append("require('").append(module).append("'); ");
        }
        try {
            ProcessBuilder check = new ProcessBuilder("node", "-e", requires.toString().strip())
                    .redirectErrorStream(true);
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
}
