package dev.outpost.todo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.OSInfo;

/**
 * Keeps sqlite-jdbc's native library in the user's cache folder ({@code $XDG_CACHE_HOME/outpost} or
 * {@code ~/.cache/outpost}) and points sqlite-jdbc at it. Left alone, sqlite-jdbc detects the platform (starting a
 * process for it) and copies its library to a new temporary file at every start, which is a noticeable part of the
 * start-up time of a quick command. The copy is keyed by the sqlite-jdbc version, OS and architecture, and written
 * to a temporary file first, then moved into place. Anything unexpected leaves sqlite-jdbc to its own way.
 */
final class SqliteLibrary {
    private static final String PATH_PROPERTY = "org.sqlite.lib.path";
    private static final String NAME_PROPERTY = "org.sqlite.lib.name";

    private SqliteLibrary() {
    }

    /** Points sqlite-jdbc at the cached library (copying it there first if needed), unless told otherwise. */
    static void useCachedCopy(Map<String, String> env) {
        if (System.getProperty(PATH_PROPERTY) != null || System.getProperty(NAME_PROPERTY) != null) {
            return;
        }
        try {
            String name = System.mapLibraryName("sqlitejdbc");
            Path dir = cacheFolder(env).resolve(("sqlite-jdbc-" + SQLiteJDBCLoader.getVersion() + "-"
                    + System.getProperty("os.name") + "-" + System.getProperty("os.arch"))
                    .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "_"));
            Path library = dir.resolve(name);
            if (!Files.isRegularFile(library) && !copy(name, dir, library)) {
                return;
            }
            System.setProperty(PATH_PROPERTY, dir.toString());
            System.setProperty(NAME_PROPERTY, name);
        } catch (IOException | RuntimeException e) {
            // No cache (read-only home, unknown platform): sqlite-jdbc extracts its library as usual.
        }
    }

    private static Path cacheFolder(Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("outpost");
    }

    private static boolean copy(String name, Path dir, Path library) throws IOException {
        String resource = "/org/sqlite/native/" + OSInfo.getNativeLibFolderPathForCurrentOS() + "/" + name;
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                return false;
            }
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, name, ".tmp");
            try {
                Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(temp, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
            return true;
        }
    }
}
