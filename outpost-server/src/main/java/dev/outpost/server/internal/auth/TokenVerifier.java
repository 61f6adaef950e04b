package dev.outpost.server.internal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSKeySelector;
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
 * Verifies sign-in tokens (Nimbus JOSE+JWT does the JOSE work): JWTs signed with HS256 and the server's shared
 * secret, or with RS256 or ES256 and a public key from a JWKS ({@link SigningKeys}). The algorithm a token's header
 * names decides the key: HS256 is verified only with the secret, RS256 and ES256 only with the JWKS keys, so a
 * token "signed" with a public key as an HMAC secret (algorithm confusion) is refused, as are unsigned tokens
 * ({@code alg: none}), every other algorithm, and an algorithm whose keys the server does not have.
 *
 * <p>A token must have a {@code sub} (the user id) and an {@code exp}; {@code exp} and {@code nbf} are checked with
 * {@value #SKEW_SECONDS} s of clock skew, and {@code iss}/{@code aud} when the server names them. Verified tokens
 * are remembered until they expire, so a client's next requests cost a map lookup. Thread-safe.
 */
public final class TokenVerifier {
    /** The shortest secret accepted, in bytes (HS256 needs a 256-bit key). */
    public static final int MIN_SECRET_BYTES = 32;
    /** The algorithms verified with public keys from a JWKS. */
    public static final Set<JWSAlgorithm> PUBLIC_KEY_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
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
        this(Objects.requireNonNull(secret, "secret"), null, issuer, audience, clock);
    }

    /**
     * A verifier for tokens signed with {@code secret} (HS256), with one of {@code keys} (RS256, ES256), or either.
     *
     * @param secret   the HS256 secret, or {@code null} to refuse HS256 tokens
     * @param keys     the public keys, or {@code null} to refuse RS256 and ES256 tokens
     * @param issuer   the {@code iss} a token must have, or {@code null} for any
     * @param audience the {@code aud} a token must have, or {@code null} for any
     * @throws IllegalArgumentException if the secret is shorter than {@value #MIN_SECRET_BYTES} bytes, or neither a
     *                                  secret nor keys are given
     */
    public TokenVerifier(byte[] secret, JWKSource<SecurityContext> keys, String issuer, String audience,
            Clock clock) {
        if (secret == null && keys == null) {
            throw new IllegalArgumentException("a token verifier needs a secret, keys or both");
        }
        if (secret != null && secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the sign-in secret has " + secret.length + " bytes; it needs at least "
                    + MIN_SECRET_BYTES);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        processor.setJWSKeySelector(keySelector(secret, keys));
        // Identity providers' access tokens may be typed as such (RFC 9068); Nimbus accepts only JWT or none.
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
                new JOSEObjectType("at+jwt"), null));
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
     * Picks the verification keys by the algorithm the token's header names, never by the key: HS256 gets only the
     * secret, RS256 and ES256 only the JWKS keys (by {@code kid} and key type), anything else none (refused).
     */
    private static JWSKeySelector<SecurityContext> keySelector(byte[] secret, JWKSource<SecurityContext> keys) {
        JWSKeySelector<SecurityContext> hmac = secret == null ? null
                : new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, new ImmutableSecret<>(secret.clone()));
        JWSKeySelector<SecurityContext> publicKeys = keys == null ? null
                : new JWSVerificationKeySelector<>(PUBLIC_KEY_ALGORITHMS, keys);
        return (header, context) -> {
            JWSKeySelector<SecurityContext> chosen = JWSAlgorithm.HS256.equals(header.getAlgorithm()) ? hmac
                    : PUBLIC_KEY_ALGORITHMS.contains(header.getAlgorithm()) ? publicKeys : null;
            return chosen == null ? List.of() : chosen.selectJWSKeys(header, context);
        };
    }

    /**
     * The caller a token names.
     *
     * @throws AccessDeniedException   (401) if the token is not valid
     * @throws KeysUnavailableException if the token needs JWKS keys and none could be read yet
     */
    public Caller verify(String token) {
        Instant now = clock.instant();
        Verified known = cache.get(token);
        if (known != null && now.isBefore(known.expires().plusSeconds(SKEW_SECONDS))) {
            return known.caller();
        }
        JWTClaimsSet claims = claims(token);
        Caller caller = caller(claims);
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(token, new Verified(caller, claims.getExpirationTime().toInstant()));
        return caller;
    }

    /**
     * The verified claims of a token, not remembered (for tokens that are exchanged once, such as a sign-in
     * provider's).
     *
     * @throws AccessDeniedException   (401) if the token is not valid
     * @throws KeysUnavailableException if the token needs JWKS keys and none could be read yet
     */
    public JWTClaimsSet claims(String token) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw AccessDeniedException.badToken("not a JWT");
        } catch (BadJOSEException e) {
            throw AccessDeniedException.badToken(e.getMessage());
        } catch (KeySourceException e) {
            throw new KeysUnavailableException(e.getMessage(), e);
        } catch (JOSEException e) {
            throw AccessDeniedException.badToken("it could not be verified");
        }
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank()) {
            throw AccessDeniedException.badToken("it has no subject (sub)");
        }
        return claims;
    }

    private static Caller caller(JWTClaimsSet claims) {
        String subject = claims.getSubject();
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
