package dev.outpost.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.outpost.server.internal.auth.TokenVerifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code outpost token}: prints a sign-in token signed with the server's secret, for local use and tests. */
@Command(name = "token", mixinStandardHelpOptions = true, versionProvider = ServerMain.Version.class,
        description = {"Print a sign-in token (an HS256 JWT) for USER, signed with the same secret as 'serve' "
                + "(--auth-secret-file or " + AuthOptions.ENV + "), for local use and tests.",
            "",
            "Example: ./outpost token --user alice --roles admin --ttl 8h"},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the token is printed", "2:bad command line, or no secret (or one under 32 bytes)"})
final class TokenCommand implements Callable<Integer> {
    private static final Pattern TTL = Pattern.compile("(\\d{1,9})([smhd])");

    @Option(names = "--user", required = true, paramLabel = "USER", description = "The user id (the sub claim).")
    String user;

    @Option(names = "--roles", split = ",", paramLabel = "ROLE", description = "Roles, comma-separated (the roles "
            + "claim), for role:NAME access rules.")
    List<String> roles = new ArrayList<>();

    @Option(names = "--claim", paramLabel = "NAME=VALUE", description = "Another claim (repeatable), such as "
            + "tenant=acme.")
    Map<String, String> claims = Map.of();

    @Option(names = "--ttl", defaultValue = "1h", paramLabel = "TTL", description = "How long it is valid: a number "
            + "and s, m, h or d (default: ${DEFAULT-VALUE}).")
    String ttl;

    @Mixin
    AuthOptions auth;

    @Spec
    CommandSpec spec;

    /** The environment the secret is read from (tests give their own). */
    Map<String, String> environment = System.getenv();
    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        byte[] secret = auth.secret(environment);
        if (secret == null) {
            throw new IllegalArgumentException("no sign-in secret: pass --auth-secret-file FILE or set "
                    + AuthOptions.ENV);
        }
        if (secret.length < TokenVerifier.MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the sign-in secret has " + secret.length + " bytes; it needs at least "
                    + TokenVerifier.MIN_SECRET_BYTES);
        }
        if (user.isBlank()) {
            throw new IllegalArgumentException("--user must not be blank");
        }
        Instant now = clock.instant();
        JWTClaimsSet.Builder claimsSet = new JWTClaimsSet.Builder().subject(user).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(duration(ttl))));
        if (!roles.isEmpty()) {
            claimsSet.claim("roles", List.copyOf(roles));
        }
        claims.forEach((name, value) -> {
            if (List.of("sub", "exp", "iat", "nbf", "iss", "aud", "roles").contains(name)) {
                throw new IllegalArgumentException("--claim cannot set " + name + "; use the option for it");
            }
            claimsSet.claim(name, value);
        });
        if (auth.issuer != null) {
            claimsSet.issuer(auth.issuer);
        }
        if (auth.audience != null) {
            claimsSet.audience(auth.audience);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claimsSet.build());
        try {
            jwt.sign(new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("the token could not be signed: " + e.getMessage(), e);
        }
        spec.commandLine().getOut().println(jwt.serialize());
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** {@code 30s}, {@code 15m}, {@code 1h}, {@code 2d}. */
    static Duration duration(String text) {
        Matcher m = TTL.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new IllegalArgumentException("--ttl must be a positive number and s, m, h or d (such as 1h), not '"
                    + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
