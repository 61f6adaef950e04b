package dev.outpost.server.internal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Sign-in with an identity provider's token, as App Service's {@code POST /.auth/login/{provider}} did for the
 * official clients: the provider's token (an OpenID Connect id token, or an access token that is a JWT) is verified
 * with that provider's keys and issuer, and exchanged for an Outpost token signed with the server's secret.
 *
 * <p>The Outpost token's {@code sub} is {@code sid:} and 32 hex digits of the SHA-256 of the provider's name and
 * the provider's {@code sub}: stable for a user across sign-ins, different across providers, and revealing nothing of
 * the provider's id. It has no roles, an {@code idp} claim naming the provider, the server's issuer and audience
 * when it has them, and expires in {@link #TOKEN_LIFETIME} or when the provider's token does, whichever is sooner.
 * Immutable, thread-safe.
 */
public final class SignIn {
    /** The longest an Outpost token from a sign-in is valid. */
    public static final Duration TOKEN_LIFETIME = Duration.ofHours(1);
    /** The claim that names the provider a user signed in with (App Service's name for it). */
    public static final String PROVIDER_CLAIM = "idp";

    private final Map<String, TokenVerifier> providers;
    private final byte[] secret;
    private final String issuer;
    private final String audience;
    private final Clock clock;

    /** What a sign-in gives: the Outpost token and the user id it names. */
    public record Session(String token, String userId) {
    }

    /**
     * @param providers the providers' verifiers (RS256/ES256 with each provider's keys, issuer and audience), by
     *                  lower-case name
     * @param secret    the server's HS256 secret, which signs the tokens handed out
     * @param issuer    the {@code iss} of the tokens handed out (the one the server requires), or {@code null}
     * @param audience  the {@code aud} of the tokens handed out (the one the server requires), or {@code null}
     */
    public SignIn(Map<String, TokenVerifier> providers, byte[] secret, String issuer, String audience, Clock clock) {
        this.providers = Map.copyOf(providers);
        this.secret = Objects.requireNonNull(secret, "secret").clone();
        this.issuer = issuer;
        this.audience = audience;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The providers' names, sorted. */
    public Set<String> providers() {
        return new TreeMap<>(providers).keySet();
    }

    /** Whether {@code provider} (lower-case) is configured. */
    public boolean has(String provider) {
        return providers.containsKey(provider);
    }

    /**
     * Verifies {@code providerToken} with the keys of {@code provider} and hands out an Outpost token for its user.
     *
     * @throws AccessDeniedException    (401) if the provider's token is not valid (forged, expired, of another
     *                                  issuer or audience, no {@code sub})
     * @throws KeysUnavailableException if the provider's keys could not be read yet
     * @throws IllegalArgumentException if {@code provider} is not configured (check with {@link #has} first)
     */
    public Session signIn(String provider, String providerToken) {
        TokenVerifier verifier = providers.get(provider);
        if (verifier == null) {
            throw new IllegalArgumentException("no sign-in provider '" + provider + "'");
        }
        JWTClaimsSet verified = verifier.claims(providerToken);
        String userId = userId(provider, verified.getSubject());
        Instant now = clock.instant();
        Instant expires = now.plus(TOKEN_LIFETIME);
        Instant providerExpires = verified.getExpirationTime().toInstant();
        if (providerExpires.isBefore(expires)) {
            expires = providerExpires;
        }
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(userId).claim(PROVIDER_CLAIM, provider)
                .issueTime(Date.from(now)).expirationTime(Date.from(expires));
        if (issuer != null) {
            claims.issuer(issuer);
        }
        if (audience != null) {
            claims.audience(audience);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
                claims.build());
        try {
            jwt.sign(new MACSigner(secret));
        } catch (JOSEException e) {
            // The secret's length was checked at start-up; nothing else can fail.
            throw new IllegalStateException("the sign-in token could not be signed", e);
        }
        return new Session(jwt.serialize(), userId);
    }

    /** {@code sid:} and 32 hex digits of SHA-256 of the provider's name and the provider's user id. */
    static String userId(String provider, String providerSubject) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((provider + ":" + providerSubject)
                    .getBytes(StandardCharsets.UTF_8));
            return "sid:" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
