package dev.outpost.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
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
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Identity and table access on the server: HS256 tokens in {@code Authorization: Bearer} or {@code X-ZUMO-AUTH},
 * refused when malformed, forged, expired, unsigned or of another algorithm, issuer or audience (401 with
 * {@code WWW-Authenticate}); per-table and per-operation rules (authenticated, role, disabled); the dynamic
 * schema's default; the native endpoints; and the {@code token} command.
 */
class IdentityTest {
    private static final byte[] SECRET = "a-secret-of-at-least-thirty-two-bytes!!".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @TempDir
    Path dir;

    private static String token(String user, List<String> roles, Instant expires, byte[] secret, JWSAlgorithm alg,
            UnaryOperator<JWTClaimsSet.Builder> more) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().expirationTime(Date.from(expires));
        if (user != null) {
            claims.subject(user);
        }
        if (!roles.isEmpty()) {
            claims.claim("roles", roles);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(alg), more.apply(claims).build());
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }

    private static String token(String user, String... roles) throws Exception {
        return token(user, List.of(roles), NOW.plus(Duration.ofHours(1)), SECRET, JWSAlgorithm.HS256, b -> b);
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token, "ZUMO-API-VERSION", "3.0.0");
    }

    private TestServer server(TestDatabase db, FakeClock clock, String tables,
            UnaryOperator<ServerConfig.Builder> more) throws Exception {
        Path file = tables == null ? null : Files.writeString(dir.resolve("tables-" + System.nanoTime() + ".json"),
                tables);
        return TestServer.startOn(db, db.createUrl(), b -> more.apply(b.authSecret(SECRET).tablesFile(file)), clock);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void anAuthenticatedTableNeedsAValidTokenInEitherHeader(TestDatabase db) throws Exception {
        FakeClock clock = new FakeClock(NOW);
        try (TestServer server = server(db, clock, "{\"todoitem\": {\"columns\": {\"text\": \"string\"},"
                + " \"access\": \"authenticated\"}}", b -> b)) {
            Reply anonymous = server.v3("GET", "/tables/todoitem", null);
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.header("WWW-Authenticate")).isEqualTo("Bearer");
            assertThat(anonymous.json().get("code").asText()).isEqualTo("unauthorized");

            assertThat(server.send("POST", "/tables/todoitem", "{\"id\":\"a\",\"text\":\"milk\"}",
                    bearer(token("alice"))).status()).isEqualTo(201);
            assertThat(server.send("GET", "/tables/todoitem/a", null,
                    Map.of("X-ZUMO-AUTH", token("alice"), "ZUMO-API-VERSION", "3.0.0")).status()).isEqualTo(200);
            assertThat(server.send("GET", "/health", null, Map.of()).status()).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void badTokensAreRefusedWith401EvenOnAnOpenTable(TestDatabase db) throws Exception {
        FakeClock clock = new FakeClock(NOW);
        try (TestServer server = server(db, clock, null, b -> b.dynamicAccess("anonymous").authIssuer("outpost")
                .authAudience("todo"))) {
            UnaryOperator<JWTClaimsSet.Builder> good = b -> b.issuer("outpost").audience("todo");
            Instant later = NOW.plus(Duration.ofHours(1));
            assertThat(server.send("GET", "/tables/t", null, bearer(token("alice", List.of(), later, SECRET,
                    JWSAlgorithm.HS256, good))).status()).isEqualTo(200);
            RSAKey rsa = new RSAKeyGenerator(2048).generate();
            SignedJWT rs256 = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder()
                    .subject("alice").issuer("outpost").audience("todo").expirationTime(Date.from(later)).build());
            rs256.sign(new RSASSASigner(rsa));
            String unsigned = new PlainJWT(new JWTClaimsSet.Builder().subject("alice").issuer("outpost")
                    .audience("todo").expirationTime(Date.from(later)).build()).serialize();
            byte[] otherSecret = "another-secret-of-thirty-two-bytes-or-more".getBytes(StandardCharsets.UTF_8);
            Map<String, String> bad = Map.of(
                    "not a JWT", "garbage",
                    "forged", token("alice", List.of(), later, otherSecret, JWSAlgorithm.HS256, good),
                    "expired", token("alice", List.of(), NOW.minus(Duration.ofMinutes(2)), SECRET,
                            JWSAlgorithm.HS256, good),
                    "not yet valid", token("alice", List.of(), later, SECRET, JWSAlgorithm.HS256,
                            b -> good.apply(b).notBeforeTime(Date.from(NOW.plus(Duration.ofMinutes(5))))),
                    "HS512", token("alice", List.of(), later, "a-secret-of-sixty-four-bytes-for-hs512-signing-which-needs-more!!"
                            .getBytes(StandardCharsets.UTF_8), JWSAlgorithm.HS512, good),
                    "RS256", rs256.serialize(),
                    "alg none", unsigned,
                    "another issuer", token("alice", List.of(), later, SECRET, JWSAlgorithm.HS256,
                            b -> b.issuer("evil").audience("todo")),
                    "another audience", token("alice", List.of(), later, SECRET, JWSAlgorithm.HS256,
                            b -> b.issuer("outpost").audience("other")),
                    "no subject", token(null, List.of(), later, SECRET, JWSAlgorithm.HS256, good));
            bad.forEach((what, token) -> {
                Reply reply = server.send("GET", "/tables/t", null, bearer(token));
                assertThat(reply.status()).as(what).isEqualTo(401);
                assertThat(reply.header("WWW-Authenticate")).as(what).isEqualTo("Bearer error=\"invalid_token\"");
                assertThat(reply.json().get("code").asText()).as(what).isEqualTo("invalidToken");
            });
            // A token that was valid stops being so when it expires (60 s of skew), cached or not.
            String expiring = token("bob", List.of(), NOW.plus(Duration.ofMinutes(1)), SECRET, JWSAlgorithm.HS256,
                    good);
            assertThat(server.send("GET", "/tables/t", null, bearer(expiring)).status()).isEqualTo(200);
            clock.advance(Duration.ofMinutes(3));
            assertThat(server.send("GET", "/tables/t", null, bearer(expiring)).status()).isEqualTo(401);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void rolesAndPerOperationRulesAnswer403And405(TestDatabase db) throws Exception {
        FakeClock clock = new FakeClock(NOW);
        try (TestServer server = server(db, clock, "{\"audit\": {\"columns\": {\"text\": \"string\"},"
                + " \"access\": \"role:admin\"},"
                + " \"notice\": {\"columns\": {\"text\": \"string\"}, \"access\": {\"read\": \"anonymous\","
                + " \"insert\": \"authenticated\", \"update\": \"disabled\", \"delete\": \"disabled\"}}}", b -> b)) {
            Reply forbidden = server.send("GET", "/tables/audit", null, bearer(token("alice")));
            assertThat(forbidden.status()).isEqualTo(403);
            assertThat(forbidden.json().get("code").asText()).isEqualTo("forbidden");
            assertThat(server.send("GET", "/tables/audit", null, bearer(token("root", "admin"))).status())
                    .isEqualTo(200);

            assertThat(server.v3("POST", "/tables/notice", "{\"id\":\"n\",\"text\":\"hi\"}").status()).isEqualTo(401);
            assertThat(server.send("POST", "/tables/notice", "{\"id\":\"n\",\"text\":\"hi\"}", bearer(token("alice")))
                    .status()).isEqualTo(201);
            assertThat(server.v3("GET", "/tables/notice/n", null).status()).isEqualTo(200);
            Reply disabled = server.send("PUT", "/tables/notice/n", "{\"id\":\"n\",\"text\":\"changed\"}",
                    bearer(token("alice")));
            assertThat(disabled.status()).isEqualTo(405);
            assertThat(disabled.json().get("code").asText()).isEqualTo("disabled");
            assertThat(server.send("DELETE", "/tables/notice/n", null, bearer(token("alice"))).status())
                    .isEqualTo(405);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void dynamicTablesNeedASignInWhenTheServerHasIdentityAndTheNativeEndpointsFollowTheRules(TestDatabase db)
            throws Exception {
        FakeClock clock = new FakeClock(NOW);
        try (TestServer server = server(db, clock, null, b -> b)) {
            assertThat(server.v3("GET", "/tables/anything", null).status()).isEqualTo(401);
            assertThat(server.send("GET", "/outpost/v1/tables/anything/changes", null, Map.of()).status())
                    .isEqualTo(401);
            assertThat(server.send("GET", "/outpost/v1/tables/anything/changes", null, bearer(token("alice")))
                    .status()).isEqualTo(200);
            // No sign-in where a table needs one is about the request: the whole batch is refused, nothing applied.
            Reply push = server.send("POST", "/outpost/v1/push", "{\"operations\":[{\"id\":\"op1\",\"table\":\"t\","
                    + "\"kind\":\"insert\",\"itemId\":\"a\",\"item\":{\"id\":\"a\",\"text\":\"x\"}}]}", Map.of());
            assertThat(push.status()).isEqualTo(401);
            assertThat(push.header("WWW-Authenticate")).isEqualTo("Bearer");
            Reply signedIn = server.send("POST", "/outpost/v1/push", "{\"operations\":[{\"id\":\"op2\","
                    + "\"table\":\"t\",\"kind\":\"insert\",\"itemId\":\"a\",\"item\":{\"id\":\"a\",\"text\":\"x\"}}]}",
                    bearer(token("alice")));
            assertThat(signedIn.json().get("results").get(0).get("status").asText()).isEqualTo("applied");
            assertThat(server.send("POST", "/outpost/v1/push", "{\"operations\":[]}", bearer("garbage")).status())
                    .isEqualTo(401);
        }
        try (TestServer open = server(db, clock, null, b -> b.dynamicAccess("anonymous"))) {
            assertThat(open.v3("GET", "/tables/anything", null).status()).isEqualTo(200);
        }
    }

    @Test
    void theTokenCommandSignsATokenTheServerAcceptsAndRefusesAShortSecret() throws Exception {
        Path secret = Files.write(dir.resolve("secret"), SECRET);
        Map.Entry<Integer, String> printed = Cli.run("token", "--auth-secret-file", secret.toString(), "--user",
                "alice", "--roles", "admin,editor", "--claim", "tenant=acme", "--ttl", "2h");
        assertThat(printed.getKey()).isZero();
        SignedJWT jwt = SignedJWT.parse(printed.getValue());
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("alice");
        assertThat(jwt.getJWTClaimsSet().getStringListClaim("roles")).containsExactly("admin", "editor");
        assertThat(jwt.getJWTClaimsSet().getStringClaim("tenant")).isEqualTo("acme");
        try (TestServer server = TestServer.start(TestDatabase.SQLITE, b -> b.authSecret(SECRET))) {
            assertThat(server.send("GET", "/tables/t", null, bearer(printed.getValue())).status()).isEqualTo(200);
        }

        Path shortSecret = Files.writeString(dir.resolve("short"), "too short");
        Map.Entry<Integer, String> refused = Cli.run("token", "--auth-secret-file", shortSecret.toString(),
                "--user", "a");
        assertThat(refused.getKey()).isEqualTo(2);
        assertThat(refused.getValue().strip()).doesNotContain("\n").contains("at least 32");
        Map.Entry<Integer, String> badTtl = Cli.run("token", "--auth-secret-file", secret.toString(), "--user", "a",
                "--ttl", "soon");
        assertThat(badTtl.getKey()).isEqualTo(2);
        assertThat(badTtl.getValue()).contains("--ttl");
        Map.Entry<Integer, String> serve = Cli.run("serve", "--port", "0", "--database",
                "jdbc:sqlite:" + dir.resolve("s.db"), "--auth-secret-file", shortSecret.toString());
        assertThat(serve.getKey()).isEqualTo(2);
        assertThat(serve.getValue().strip()).doesNotContain("\n").contains("at least 32");
    }

    @Test
    void aBadAccessRuleStopsTheServerWithOneLineNamingTheTable() throws Exception {
        Path tables = Files.writeString(dir.resolve("tables.json"), "{\"todoitem\": {\"access\": \"everyone\"}}");
        Map.Entry<Integer, String> serve = Cli.run("serve", "--port", "0", "--database",
                "jdbc:sqlite:" + dir.resolve("s.db"), "--tables", tables.toString());

        assertThat(serve.getKey()).isEqualTo(1);
        assertThat(serve.getValue().strip()).doesNotContain("\n").contains("todoitem").contains("'everyone' is not an"
                + " access rule");
    }
}
