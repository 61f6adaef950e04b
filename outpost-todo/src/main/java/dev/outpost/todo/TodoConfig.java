package dev.outpost.todo;

import dev.outpost.client.Protocol;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/**
 * The app's small settings file beside the store ({@code todo.db} → {@code todo.properties}): the server to sync
 * with, the protocol, and what the app remembers between runs (the installation id sent to the server, the time of
 * the last successful sync, the sign-in token). The file is readable by its owner only. Plain {@code key=value} lines. Immutable: {@code with…} methods return a changed copy
 * and {@link #save()} writes it (to a temporary file first, then moved into place, so a crash never leaves half a
 * file).
 */
final class TodoConfig {
    /** The server used until another is set. */
    static final String DEFAULT_SERVER = "http://127.0.0.1:8080";

    static final String SERVER = "server";
    static final String PROTOCOL = "protocol";
    private static final String INSTALLATION_ID = "installationId";
    private static final String LAST_SYNC = "lastSync";
    private static final String TOKEN = "token";

    private final Path file;
    private final Properties values;

    private TodoConfig(Path file, Properties values) {
        this.file = file;
        this.values = values;
    }

    /** The settings file of the store {@code store}: same folder, same name, extension {@code .properties}. */
    static Path fileFor(Path store) {
        String name = store.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        return store.resolveSibling(base + ".properties");
    }

    /** The settings of the store {@code store}; defaults when the file does not exist yet. */
    static TodoConfig load(Path store) {
        Path file = fileFor(store);
        Properties values = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            values.load(reader);
        } catch (NoSuchFileException e) {
            // First run: defaults.
        } catch (IOException e) {
            throw new TodoException("Cannot read the settings file " + file + ": " + e.getMessage());
        }
        return new TodoConfig(file, values);
    }

    /** The settings file. */
    Path file() {
        return file;
    }

    /** The server's base URL. */
    String server() {
        return values.getProperty(SERVER, DEFAULT_SERVER);
    }

    /** The protocol: {@code auto} (the default: Outpost's native extensions when the server has them), v2 or v3. */
    Protocol protocol() {
        return Protocol.valueOf(values.getProperty(PROTOCOL, "auto").toUpperCase(Locale.ROOT));
    }

    /** The installation id sent to the server, if one was made already. */
    Optional<String> installationId() {
        return Optional.ofNullable(values.getProperty(INSTALLATION_ID));
    }

    /** When the last sync that reached the server finished, if there was one. */
    Optional<Instant> lastSync() {
        String text = values.getProperty(LAST_SYNC);
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The sign-in token kept by {@code login}, if any. */
    Optional<String> token() {
        return Optional.ofNullable(values.getProperty(TOKEN)).filter(t -> !t.isBlank());
    }

    /**
     * A copy that keeps {@code token} ({@code null}: signed out).
     *
     * @throws TodoException if the token is blank or spans lines
     */
    TodoConfig withToken(String token) {
        if (token == null) {
            Properties copy = new Properties();
            copy.putAll(values);
            copy.remove(TOKEN);
            return new TodoConfig(file, copy);
        }
        String trimmed = token.trim();
        if (trimmed.isEmpty() || trimmed.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new TodoException("That is not a token: a token is one word of printable characters (a JWT such as"
                    + " ./outpost token prints).");
        }
        return copyWith(TOKEN, trimmed);
    }

    /**
     * The value of the setting {@code key} ({@value #SERVER} or {@value #PROTOCOL}), as shown to people.
     *
     * @throws TodoException if there is no such setting
     */
    String get(String key) {
        switch (key) {
            case SERVER:
                return server();
            case PROTOCOL:
                return protocol().name().toLowerCase(Locale.ROOT);
            default:
                throw unknownKey(key);
        }
    }

    /**
     * A copy with the setting {@code key} set to {@code value}, checked.
     *
     * @throws TodoException if there is no such setting or the value is wrong for it
     */
    TodoConfig with(String key, String value) {
        switch (key) {
            case SERVER:
                return copyWith(SERVER, checkServer(value));
            case PROTOCOL:
                return copyWith(PROTOCOL, checkProtocol(value));
            default:
                throw unknownKey(key);
        }
    }

    /** A copy with an installation id (a new random UUID) if it has none. */
    TodoConfig withInstallationId() {
        return installationId().isPresent() ? this : copyWith(INSTALLATION_ID, UUID.randomUUID().toString());
    }

    /** A copy that remembers a successful sync at {@code when}. */
    TodoConfig withLastSync(Instant when) {
        return copyWith(LAST_SYNC, when.toString());
    }

    /** Writes the settings to {@link #file()}, creating its folder if needed. */
    void save() {
        StringBuilder text = new StringBuilder("# Outpost Todo settings for the store beside this file.\n"
                + "# Change them with: ./outpost todo config KEY VALUE\n");
        for (String key : new String[] {SERVER, PROTOCOL, INSTALLATION_ID, LAST_SYNC, TOKEN}) {
            String value = values.getProperty(key);
            if (value != null) {
                text.append(key).append('=').append(value).append('\n');
            }
        }
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            // Created readable by its owner only (it may hold the sign-in token), where the file system can say so.
            Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            if (temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            }
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the settings file " + file, e);
        }
    }

    /**
     * {@code url} if it is an http(s) URL with a host, without a trailing slash.
     *
     * @throws TodoException if it is not
     */
    static String checkServer(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && uri.getQuery() == null && !url.contains("\\")) {
                return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            }
        } catch (URISyntaxException e) {
            // Reported below.
        }
        throw new TodoException("'" + url + "' is not a server URL: give one like http://127.0.0.1:8080");
    }

    private static String checkProtocol(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.equals("auto") || lower.equals("v2") || lower.equals("v3")) {
            return lower;
        }
        throw new TodoException("'" + value + "' is not a protocol: use auto, v2 or v3");
    }

    private static TodoException unknownKey(String key) {
        return new TodoException("There is no setting '" + key + "': the settings are " + SERVER + " and "
                + PROTOCOL + ".", ExitCodes.USAGE);
    }

    private TodoConfig copyWith(String key, String value) {
        Properties copy = new Properties();
        copy.putAll(values);
        copy.setProperty(key, value);
        return new TodoConfig(file, copy);
    }
}
