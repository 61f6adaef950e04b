package dev.outpost.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the project's shared reference material ({@code ../shared/} beside the project's root: protocol research,
 * wire traces and the Datasync query corpus), which is not part of this repository.
 *
 * <p>Looked up at the system property {@code outpost.sharedDir} (the build sets it to
 * {@code <root>/../shared}), then in the parents of the working directory, then at {@code /work/shared} (where the
 * development machines keep it, so that a clone elsewhere, as CI makes, still finds it). Tests that need it are
 * skipped with a clear message where it is absent.
 */
public final class SharedReference {
    /** System property naming the shared directory. */
    public static final String PROPERTY = "outpost.sharedDir";

    private SharedReference() {
    }

    /**
     * Returns {@code <shared>/<relative>}, or skips the calling test when the shared material cannot be found.
     */
    public static Path require(String relative) {
        Path dir = find();
        Path path = dir == null ? null : dir.resolve(relative);
        Assumptions.assumeTrue(path != null && Files.exists(path),
                () -> "shared reference material not found (" + relative + "; set -D" + PROPERTY
                        + "=<path to shared>): test skipped");
        return path;
    }

    private static Path find() {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank() && Files.isDirectory(Path.of(property).resolve("reference"))) {
            return Path.of(property).normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared");
            if (Files.isDirectory(candidate.resolve("reference"))) {
                return candidate;
            }
        }
        Path machine = Path.of("/work/shared");
        return Files.isDirectory(machine.resolve("reference")) ? machine : null;
    }
}
