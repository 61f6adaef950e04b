package dev.outpost.server.internal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies sign-in tokens: JWTs signed with HS256 and the server's shared secret (Nimbus JOSE+JWT does the JOSE
 * work). A token must have a {@code sub} (the user id) and an {@code exp}; {@code exp} and {@code nbf} are checked
 * with {@value #SKEW_SECONDS} s of clock skew, and {@code iss}/{@code aud} when the server names them. Unsigned
 * tokens ({@code alg: none}) and any other algorithm are refused. Verified tokens are remembered until they expire,
 * so a client's next requests cost a map lookup. Thread-safe.
 */
public final class TokenVerifier {
    /** The shortest secret accepted, in bytes (HS256 needs a 256-bit key). */
    public static final int MIN_SECRET_BYTES = 32;
    /** Clock skew allowed on {@code exp} and {@code nbf}. */
    static final int SKEW_SECONDS = 60;
    private static final int CACHE_LIMIT = 10_000;

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final Clock clock;
    private final Map<String, Verified> cache = new ConcurrentHashMap<>();

    private record Verified(Caller caller, Instant expires) {
    }

    /**
     * A verifier for tokens signed with {@code secret}.
     *
     * @param issuer   the {@code iss} a token must have, or {@code null} for any
     * @param audience the {@code aud} a token must have, or {@code null} for any
     * @throws IllegalArgumentException if the secret is shorter than {@value #MIN_SECRET_BYTES} bytes
     */
    public TokenVerifier(byte[] secret, String issuer, String audience, Clock clock) {
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the sign-in secret has " + secret.length + " bytes; it needs at least "
                    + MIN_SECRET_BYTES);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.HS256,
                new ImmutableSecret<>(secret.clone())));
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        if (issuer != null) {
            exact.issuer(issuer);
        }
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(audience, exact.build(),
                Set.of("sub", "exp")) {
            @Override
            protected Date currentTime() {
                return Date.from(TokenVerifier.this.clock.instant());
            }
        };
        claims.setMaxClockSkew(SKEW_SECONDS);
        processor.setJWTClaimsSetVerifier(claims);
    }

    /**
     * The caller a token names.
     *
     * @throws AccessDeniedException (401) if the token is not valid
     */
    public Caller verify(String token) {
        Instant now = clock.instant();
        Verified known = cache.get(token);
        if (known != null && now.isBefore(known.expires().plusSeconds(SKEW_SECONDS))) {
            return known.caller();
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw AccessDeniedException.badToken("not a JWT");
        } catch (BadJOSEException e) {
            throw AccessDeniedException.badToken(e.getMessage());
        } catch (JOSEException e) {
            throw AccessDeniedException.badToken("it could not be verified");
        }
        Caller caller = caller(claims);
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(token, new Verified(caller, claims.getExpirationTime().toInstant()));
        return caller;
    }

    private static Caller caller(JWTClaimsSet claims) {
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank()) {
            throw AccessDeniedException.badToken("it has no subject (sub)");
        }
        Set<String> roles = new LinkedHashSet<>();
        Object value = claims.getClaim("roles");
        if (value instanceof String role) {
            roles.add(role);
        } else if (value instanceof List<?> list) {
            list.stream().filter(String.class::isInstance).map(String.class::cast).forEach(roles::add);
        }
        Map<String, Object> all = new HashMap<>();
        claims.getClaims().forEach((name, claim) -> {
            if (claim != null) {
                all.put(name, claim);
            }
        });
        return new Caller(subject, roles, all);
    }
}
