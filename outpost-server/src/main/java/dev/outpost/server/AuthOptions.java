package dev.outpost.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The sign-in secret on the command line, shared by {@code serve} and {@code token}: from {@code --auth-secret-file}
 * or the environment variable {@value #ENV}. Not set: no identity.
 */
final class AuthOptions {
    /** The environment variable that holds the secret. */
    static final String ENV = "OUTPOST_AUTH_SECRET";

    @Option(names = "--auth-secret-file", paramLabel = "FILE", description = "File holding the HS256 secret that "
            + "signs sign-in tokens (at least 32 bytes; surrounding whitespace ignored). Default: the environment "
            + "variable " + ENV + ". Without either (and without --auth-jwks) the server has no identity and every "
            + "table is open.")
    Path secretFile;

    @Option(names = "--auth-issuer", paramLabel = "ISSUER", description = "The iss a token must have (serve) or "
            + "gets (token).")
    String issuer;

    @Option(names = "--auth-audience", paramLabel = "AUDIENCE", description = "The aud a token must have (serve) "
            + "or gets (token).")
    String audience;

    /**
     * The secret's bytes, or {@code null} when none is set.
     *
     * @throws IllegalArgumentException if the file cannot be read
     */
    byte[] secret(Map<String, String> environment) {
        if (secretFile != null) {
            try {
                return Files.readString(secretFile, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the sign-in secret file " + secretFile + ": "
                        + e.getMessage(), e);
            }
        }
        String value = environment.get(ENV);
        return value == null || value.isBlank() ? null : value.strip().getBytes(StandardCharsets.UTF_8);
    }
}
