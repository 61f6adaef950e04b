package dev.outpost.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

/** HS256 sign-in tokens for tests, signed with {@link #SECRET} (give it to the server with {@code authSecret}). */
public final class Tokens {
    /** The secret the tokens are signed with. */
    public static final byte[] SECRET = "a-secret-of-at-least-thirty-two-bytes!!".getBytes(StandardCharsets.UTF_8);

    private Tokens() {
    }

    /** A token of {@code user} with these roles, valid for an hour. */
    public static String of(String user, String... roles) {
        return signed(user, Duration.ofHours(1), Map.of("roles", List.of(roles)));
    }

    /** A token of {@code user} with these further claims, valid for an hour. */
    public static String signed(String user, Map<String, Object> claims) {
        return signed(user, Duration.ofHours(1), claims);
    }

    /** A token of {@code user} with these further claims, valid for {@code validFor}. */
    public static String signed(String user, Duration validFor, Map<String, Object> claims) {
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().subject(user)
                .expirationTime(Date.from(Instant.now().plus(validFor)));
        claims.forEach(builder::claim);
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), builder.build());
        try {
            jwt.sign(new MACSigner(SECRET));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
