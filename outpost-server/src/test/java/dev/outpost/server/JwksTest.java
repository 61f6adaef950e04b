package dev.outpost.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.outpost.server.TestServer.Reply;
import dev.outpost.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RS256 and ES256 sign-in tokens verified with public keys from {@code --auth-jwks} (a file or a URL), alone or next
 * to the HS256 secret: key rotation through an unknown {@code kid}, at most one read of the key set per refetch
 * interval however many unknown keys arrive, algorithm confusion and {@code alg: none} refused, issuer, audience
 * and expiry checked, a bad JWKS file stops the start in one line, an unreachable JWKS URL does not.
 */
class JwksTest {
    private static final byte[] SECRET = "a-secret-of-at-least-thirty-two-bytes!!".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(30);
    private static RSAKey rsa;
    private static ECKey ec;

    @TempDir
    Path dir;

    private final FakeClock clock = new FakeClock(NOW);
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void keys() throws Exception {
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable each : open) {
            each.close();
        }
    }

    private static String token(JWK key, JWSAlgorithm alg, UnaryOperator<JWTClaimsSet.Builder> claims)
            throws Exception {
        JWSSigner signer = key instanceof RSAKey r ? new RSASSASigner(r) : new ECDSASigner((ECKey) key);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(), claims.apply(
                new JWTClaimsSet.Builder().subject("alice").expirationTime(Date.from(NOW.plus(Duration.ofHours(1)))))
                .build());
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static String token(JWK key, JWSAlgorithm alg) throws Exception {
        return token(key, alg, b -> b);
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token, "ZUMO-API-VERSION", "3.0.0");
    }

    private Path jwksFile(JWK... keys) throws Exception {
        return Files.writeString(dir.resolve("jwks-" + System.nanoTime() + ".json"),
                new JWKSet(List.of(keys)).toPublicJWKSet().toString());
    }

    private TestServer server(UnaryOperator<ServerConfig.Builder> configure) {
        TestDatabase db = TestDatabase.SQLITE;
        TestServer server = TestServer.startOn(db, db.createUrl(), b -> configure.apply(
                b.authJwksRefetchInterval(INTERVAL)), clock);
        open.add(server);
        return server;
    }

    private FakeJwksServer jwksServer(JWK... keys) {
        FakeJwksServer server = new FakeJwksServer(keys);
        open.add(server);
        return server;
    }

    private static int status(TestServer server, String token) {
        return server.send("GET", "/tables/t", null, bearer(token)).status();
    }

    @Test
    void rs256AndEs256TokensAreAcceptedWithKeysFromAFile() throws Exception {
        String file = jwksFile(rsa, ec).toString();
        TestServer server = server(b -> b.authJwks(file));

        assertThat(status(server, token(rsa, JWSAlgorithm.RS256))).isEqualTo(200);
        assertThat(status(server, token(ec, JWSAlgorithm.ES256))).isEqualTo(200);
        // Identity is on with keys alone: dynamic tables need a sign-in.
        assertThat(server.v3("GET", "/tables/t", null).status()).isEqualTo(401);
    }

    @Test
    void rs256AndEs256TokensAreAcceptedWithKeysFromAUrlNextToHs256TokensWithTheSecret() throws Exception {
        FakeJwksServer keys = jwksServer(rsa, ec);
        TestServer server = server(b -> b.authJwks(keys.url()).authSecret(SECRET));

        assertThat(status(server, token(rsa, JWSAlgorithm.RS256))).isEqualTo(200);
        assertThat(status(server, token(ec, JWSAlgorithm.ES256))).isEqualTo(200);
        SignedJWT hs256 = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject("bob")
                .expirationTime(Date.from(NOW.plus(Duration.ofHours(1)))).build());
        hs256.sign(new MACSigner(SECRET));
        assertThat(status(server, hs256.serialize())).isEqualTo(200);
        assertThat(keys.fetches()).as("read once at start, then kept").isEqualTo(1);
    }

    @Test
    void aRotatedKeyIsPickedUpFromTheUrlWhenATokenNamesItsKid() throws Exception {
        RSAKey next = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
        FakeJwksServer keys = jwksServer(rsa);
        TestServer server = server(b -> b.authJwks(keys.url()));
        assertThat(status(server, token(rsa, JWSAlgorithm.RS256))).isEqualTo(200);

        keys.publish(next);
        // The set was read at start, within the interval: not read again yet.
        assertThat(status(server, token(next, JWSAlgorithm.RS256))).isEqualTo(401);
        clock.advance(INTERVAL.plusSeconds(1));
        assertThat(status(server, token(next, JWSAlgorithm.RS256))).isEqualTo(200);
        assertThat(keys.fetches()).isEqualTo(2);
        // The withdrawn key no longer verifies (its tokens were not seen before, so none is remembered).
        assertThat(status(server, token(rsa, JWSAlgorithm.RS256, b -> b.subject("carol")))).isEqualTo(401);
    }

    @Test
    void aFloodOfUnknownKidsReadsTheKeySetAtMostOncePerInterval() throws Exception {
        FakeJwksServer keys = jwksServer(rsa);
        TestServer server = server(b -> b.authJwks(keys.url()));
        assertThat(keys.fetches()).isEqualTo(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 1; round <= 3; round++) {
                List<Future<Integer>> answers = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    String forged = token(new RSAKey.Builder(rsa).keyID("unknown-" + round + "-" + i).build(),
                            JWSAlgorithm.RS256);
                    answers.add(pool.submit(() -> status(server, forged)));
                }
                for (Future<Integer> answer : answers) {
                    assertThat(answer.get()).isEqualTo(401);
                }
                assertThat(keys.fetches()).as("round " + round).isEqualTo(round);
                clock.advance(INTERVAL);
            }
        } finally {
            pool.shutdownNow();
        }
        // Known keys kept working all along.
        assertThat(status(server, token(rsa, JWSAlgorithm.RS256))).isEqualTo(200);
    }

    @Test
    void algorithmConfusionAndUnsignedTokensAreRefused() throws Exception {
        FakeJwksServer keys = jwksServer(rsa, ec);
        for (byte[] secret : new byte[][] {SECRET, null}) {
            TestServer server = server(b -> b.authJwks(keys.url()).authSecret(secret));
            Instant later = NOW.plus(Duration.ofHours(1));
            Map<String, String> bad = new java.util.LinkedHashMap<>();
            // HS256 "signed" with what an attacker knows: the public key, as DER bytes and as its JWK text.
            for (byte[] publicBytes : List.of(rsa.toPublicKey().getEncoded(),
                    rsa.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8))) {
                SignedJWT confused = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(),
                        new JWTClaimsSet.Builder().subject("mallory").expirationTime(Date.from(later)).build());
                confused.sign(new MACSigner(publicBytes));
                bad.put("HS256 with the public key as secret (" + publicBytes.length + " bytes)",
                        confused.serialize());
            }
            bad.put("alg none", new PlainJWT(new JWTClaimsSet.Builder().subject("mallory")
                    .expirationTime(Date.from(later)).build()).serialize());
            bad.put("RS512", token(rsa, JWSAlgorithm.RS512));
            bad.put("ES256 header on an RSA signature", token(rsa, JWSAlgorithm.RS256).replaceFirst("^[^.]+",
                    new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("rsa-1").build().toBase64URL().toString()));
            bad.forEach((what, token) -> {
                Reply reply = server.send("GET", "/tables/t", null, bearer(token));
                assertThat(reply.status()).as(what).isEqualTo(401);
                assertThat(reply.json().get("code").asText()).as(what).isEqualTo("invalidToken");
                assertThat(reply.header("WWW-Authenticate")).as(what).isEqualTo("Bearer error=\"invalid_token\"");
            });
        }
    }

    @Test
    void anotherIssuerOrAudienceAndExpiredTokensAreRefused() throws Exception {
        String file = jwksFile(rsa, ec).toString();
        TestServer server = server(b -> b.authJwks(file).authIssuer("https://id.example").authAudience("todo"));
        UnaryOperator<JWTClaimsSet.Builder> good = b -> b.issuer("https://id.example").audience("todo");
        assertThat(status(server, token(ec, JWSAlgorithm.ES256, good))).isEqualTo(200);

        assertThat(status(server, token(ec, JWSAlgorithm.ES256, b -> b.issuer("https://evil.example")
                .audience("todo")))).isEqualTo(401);
        assertThat(status(server, token(rsa, JWSAlgorithm.RS256, b -> b.issuer("https://id.example")
                .audience("other")))).isEqualTo(401);
        assertThat(status(server, token(rsa, JWSAlgorithm.RS256, b -> good.apply(b)
                .expirationTime(Date.from(NOW.minus(Duration.ofMinutes(2))))))).isEqualTo(401);
        assertThat(status(server, token(rsa, JWSAlgorithm.RS256, b -> good.apply(b).subject(null))))
                .isEqualTo(401);
    }

    @Test
    void anUnreachableJwksUrlDoesNotStopTheStartAndItsTokensWaitFor503() throws Exception {
        FakeJwksServer keys = jwksServer(rsa);
        keys.fail(true);
        TestServer server = server(b -> b.authJwks(keys.url()));

        Reply unavailable = server.send("GET", "/tables/t", null, bearer(token(rsa, JWSAlgorithm.RS256)));
        assertThat(unavailable.status()).isEqualTo(503);
        assertThat(unavailable.json().get("code").asText()).isEqualTo("unavailable");
        keys.fail(false);
        clock.advance(INTERVAL);
        assertThat(status(server, token(rsa, JWSAlgorithm.RS256))).isEqualTo(200);
        // Once read, the keys are kept when the URL fails again.
        keys.fail(true);
        clock.advance(Duration.ofMinutes(10));
        assertThat(status(server, token(rsa, JWSAlgorithm.RS256, b -> b.subject("dave")
                .expirationTime(Date.from(NOW.plus(Duration.ofHours(2))))))).isEqualTo(200);
    }

    @Test
    void aBadJwksFileStopsTheStartWithOneLineNamingIt() throws Exception {
        Path notJwks = Files.writeString(dir.resolve("keys.json"), "{\"keys\": [{\"kty\": \"RSA\"}]}");
        Path missing = dir.resolve("missing.json");
        Path empty = Files.writeString(dir.resolve("empty.json"), "{\"keys\": []}");
        for (Path bad : List.of(notJwks, missing, empty)) {
            Map.Entry<Integer, String> serve = Cli.run("serve", "--port", "0", "--database",
                    "jdbc:sqlite:" + dir.resolve("s.db"), "--auth-jwks", bad.toString());
            assertThat(serve.getKey()).as(bad.toString()).isEqualTo(ServerMain.START_FAILED);
            assertThat(serve.getValue().strip()).as(bad.toString()).doesNotContain("\n").contains("--auth-jwks")
                    .contains(bad.toString());
        }
    }
}
