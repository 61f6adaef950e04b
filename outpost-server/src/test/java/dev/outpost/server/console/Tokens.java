package dev.outpost.server.console;

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

/** HS256 sign-in tokens for the console's tests, valid for an hour. */
final class Tokens {
    static final byte[] SECRET = "a-secret-of-at-least-thirty-two-bytes!!".getBytes(StandardCharsets.UTF_8);

    private Tokens() {
    }

    static String of(String user, String... roles) {
        try {
            JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(user).claim("roles", List.of(roles))
                    .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1)))).build();
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(SECRET));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
