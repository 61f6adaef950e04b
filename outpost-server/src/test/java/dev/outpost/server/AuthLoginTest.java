package dev.outpost.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.outpost.server.ServerConfig.AuthProvider;
import dev.outpost.server.TestServer.Reply;
import dev.outpost.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sign-in for apps moving from Azure Mobile Apps: {@code POST /.auth/login/{provider}} exchanges a provider's token
 * (verified with a local key pair standing in for the provider) for an Outpost token, as App Service answered the
 * official clients; the token opens an {@code authenticated} table; {@code GET /.auth/me} returns the caller; wrong
 * providers, bodies and tokens get JSON errors, never a 500; without sign-in configured the routes say so.
 */
class AuthLoginTest {
    private static final byte[] SECRET = "a-secret-of-at-least-thirty-two-bytes!!".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final String ISSUER = "https://accounts.provider.example";
    private static final String CLIENT_ID = "todo-app-client-id";
    private static final String TABLES = "{\"todoitem\": {\"columns\": {\"text\": \"string\"},"
            + " \"access\": \"authenticated\"}}";
    private static RSAKey providerKey;

    @TempDir
    Path dir;

    private final FakeClock clock = new FakeClock(NOW);
    private final List<TestServer> servers = new ArrayList<>();

    @BeforeAll
    static void keys() throws Exception {
        providerKey = new RSAKeyGenerator(2048).keyID("provider-1").generate();
    }

    @AfterEach
    void stop() {
        servers.forEach(TestServer::close);
    }

    private TestServer server(UnaryOperator<ServerConfig.Builder> configure) throws Exception {
        Path tables = Files.writeString(dir.resolve("tables-" + System.nanoTime() + ".json"), TABLES);
        TestDatabase db = TestDatabase.SQLITE;
        TestServer server = TestServer.startOn(db, db.createUrl(), b -> configure.apply(b.tablesFile(tables)), clock);
        servers.add(server);
        return server;
    }

    /** A server with the secret and one provider, {@code google}, whose keys are a JWKS file. */
    private TestServer serverWithProvider() throws Exception {
        Path jwks = Files.writeString(dir.resolve("google-keys.json"), new JWKSet(providerKey).toPublicJWKSet()
                .toString());
        return server(b -> b.authSecret(SECRET).authProvider(new AuthProvider("google", ISSUER, jwks.toString(),
                CLIENT_ID)));
    }

    private static String providerToken(RSAKey key, UnaryOperator<JWTClaimsSet.Builder> claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                claims.apply(new JWTClaimsSet.Builder().issuer(ISSUER).audience(CLIENT_ID).subject("1234567890")
                        .claim("email", "alice@example.com")
                        .expirationTime(Date.from(NOW.plus(Duration.ofHours(2))))).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static String providerToken(UnaryOperator<JWTClaimsSet.Builder> claims) throws Exception {
        return providerToken(providerKey, claims);
    }

    /** What the official JS client sends for {@code client.login(provider, {access_token: token})}. */
    private static Reply login(TestServer server, String provider, String body) {
        return server.send("POST", "/.auth/login/" + provider, body, Map.of("ZUMO-API-VERSION", "2.0.0",
                "X-ZUMO-INSTALLATION-ID", "5f0e4e4c-5b1c-4a52-9b1d-0c6c3f0a7d11", "X-ZUMO-VERSION",
                "ZUMO/2.0 (lang=Web; os=--; os_version=--; arch=--; version=2.0.0)"));
    }

    private static String json(String field, String value) {
        return "{\"" + field + "\": \"" + value + "\"}";
    }

    @Test
    void loginWithAnAccessTokenAnswersAsAppServiceAndItsTokenOpensAnAuthenticatedTable() throws Exception {
        TestServer server = serverWithProvider();

        Reply login = login(server, "google", json("access_token", providerToken(b -> b)));
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        assertThat(login.header("Content-Type")).startsWith("application/json");
        String token = login.json().get("authenticationToken").asText();
        String userId = login.json().get("user").get("userId").asText();
        assertThat(userId).matches("sid:[0-9a-f]{32}");

        SignedJWT outpostToken = SignedJWT.parse(token);
        assertThat(outpostToken.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
        assertThat(outpostToken.getJWTClaimsSet().getSubject()).isEqualTo(userId);
        assertThat(outpostToken.getJWTClaimsSet().getStringClaim("idp")).isEqualTo("google");
        assertThat(outpostToken.getJWTClaimsSet().getClaim("roles")).isNull();
        assertThat(outpostToken.getJWTClaimsSet().getExpirationTime().toInstant())
                .isEqualTo(NOW.plus(Duration.ofHours(1)));

        // Then the client sends it in X-ZUMO-AUTH.
        Map<String, String> signedIn = Map.of("X-ZUMO-AUTH", token, "ZUMO-API-VERSION", "2.0.0");
        assertThat(server.v2("GET", "/tables/todoitem", null).status()).isEqualTo(401);
        assertThat(server.send("POST", "/tables/todoitem", "{\"id\":\"a\",\"text\":\"milk\"}", signedIn).status())
                .isEqualTo(201);
        assertThat(server.send("GET", "/tables/todoitem/a", null, signedIn).status()).isEqualTo(200);
    }

    @Test
    void loginWithAnIdTokenGivesTheSameStableUserAndAnotherProviderUserGetsAnotherId() throws Exception {
        TestServer server = serverWithProvider();
        String byAccessToken = login(server, "google", json("access_token", providerToken(b -> b))).json()
                .get("user").get("userId").asText();

        Reply byIdToken = login(server, "Google", json("id_token", providerToken(b -> b
                .expirationTime(Date.from(NOW.plus(Duration.ofMinutes(10)))))));
        assertThat(byIdToken.status()).as(byIdToken.body()).isEqualTo(200);
        assertThat(byIdToken.json().get("user").get("userId").asText()).isEqualTo(byAccessToken);
        // The Outpost token ends with the provider's when that is sooner than an hour.
        assertThat(SignedJWT.parse(byIdToken.json().get("authenticationToken").asText()).getJWTClaimsSet()
                .getExpirationTime().toInstant()).isEqualTo(NOW.plus(Duration.ofMinutes(10)));

        Reply other = login(server, "google", json("id_token", providerToken(b -> b.subject("another-user"))));
        assertThat(other.json().get("user").get("userId").asText()).startsWith("sid:").isNotEqualTo(byAccessToken);

        // An access token typed as one (RFC 9068) is accepted too.
        SignedJWT typed = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("provider-1")
                .type(new JOSEObjectType("at+jwt")).build(), new JWTClaimsSet.Builder().issuer(ISSUER)
                .audience(CLIENT_ID).subject("1234567890").expirationTime(Date.from(NOW.plus(Duration.ofHours(1))))
                .build());
        typed.sign(new RSASSASigner(providerKey));
        Reply byTypedAccessToken = login(server, "google", json("access_token", typed.serialize()));
        assertThat(byTypedAccessToken.json().get("user").get("userId").asText()).isEqualTo(byAccessToken);
    }

    @Test
    void authMeReturnsTheCallerAsAppServiceDid() throws Exception {
        TestServer server = serverWithProvider();
        Reply login = login(server, "google", json("access_token", providerToken(b -> b)));
        String token = login.json().get("authenticationToken").asText();
        String userId = login.json().get("user").get("userId").asText();

        Reply me = server.send("GET", "/.auth/me", null, Map.of("X-ZUMO-AUTH", token));
        assertThat(me.status()).as(me.body()).isEqualTo(200);
        JsonNode entry = me.json().get(0);
        assertThat(me.json().size()).isEqualTo(1);
        assertThat(entry.get("provider_name").asText()).isEqualTo("google");
        assertThat(entry.get("user_id").asText()).isEqualTo(userId);
        Map<String, String> claims = new LinkedHashMap<>();
        entry.get("user_claims").forEach(claim -> claims.put(claim.get("typ").asText(), claim.get("val").asText()));
        assertThat(claims).containsEntry("sub", userId).containsEntry("idp", "google")
                .containsEntry("exp", Long.toString(NOW.plus(Duration.ofHours(1)).getEpochSecond()));

        Reply anonymous = server.send("GET", "/.auth/me", null, Map.of());
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(anonymous.json().get("code").asText()).isEqualTo("unauthorized");
        Reply forged = server.send("GET", "/.auth/me", null, Map.of("Authorization", "Bearer garbage"));
        assertThat(forged.status()).isEqualTo(401);
        assertThat(forged.json().get("code").asText()).isEqualTo("invalidToken");
    }

    @Test
    void anUnknownProviderIs404WithAJsonError() throws Exception {
        TestServer server = serverWithProvider();

        Reply reply = login(server, "facebook", json("access_token", providerToken(b -> b)));
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().get("code").asText()).isEqualTo("unknownProvider");
        assertThat(reply.json().get("error").asText()).contains("facebook").contains("google");
    }

    @Test
    void badBodiesAndProviderTokensAre4xxWithAJsonBodyNeverA500() throws Exception {
        TestServer server = serverWithProvider();
        RSAKey otherKey = new RSAKeyGenerator(2048).keyID("provider-1").generate();
        SignedJWT outpostSigned = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                .issuer(ISSUER).audience(CLIENT_ID).subject("1234567890")
                .expirationTime(Date.from(NOW.plus(Duration.ofHours(1)))).build());
        outpostSigned.sign(new MACSigner(SECRET));
        Map<String, Map.Entry<String, Integer>> cases = new LinkedHashMap<>();
        cases.put("empty body", Map.entry("", 400));
        cases.put("not JSON", Map.entry("access_token=abc", 400));
        cases.put("an array", Map.entry("[]", 400));
        cases.put("no token", Map.entry("{}", 400));
        cases.put("a number", Map.entry("{\"access_token\": 5}", 400));
        cases.put("an empty token", Map.entry(json("access_token", ""), 400));
        cases.put("not a JWT", Map.entry(json("access_token", "ya29.opaque-access-token"), 401));
        cases.put("another issuer", Map.entry(json("id_token", providerToken(b -> b
                .issuer("https://evil.example"))), 401));
        cases.put("another audience", Map.entry(json("id_token", providerToken(b -> b.audience("other-app"))), 401));
        cases.put("expired", Map.entry(json("id_token", providerToken(b -> b
                .expirationTime(Date.from(NOW.minus(Duration.ofMinutes(2)))))), 401));
        cases.put("forged with another key of the same kid", Map.entry(json("id_token", providerToken(otherKey,
                b -> b)), 401));
        cases.put("HS256 with the server's secret", Map.entry(json("id_token", outpostSigned.serialize()), 401));
        cases.put("alg none", Map.entry(json("id_token", new PlainJWT(new JWTClaimsSet.Builder().issuer(ISSUER)
                .audience(CLIENT_ID).subject("1234567890").expirationTime(Date.from(NOW.plus(Duration.ofHours(1))))
                .build()).serialize()), 401));
        cases.put("no subject", Map.entry(json("id_token", providerToken(b -> b.subject(null))), 401));
        cases.forEach((what, bodyAndStatus) -> {
            Reply reply = login(server, "google", bodyAndStatus.getKey());
            assertThat(reply.status()).as(what + ": " + reply.body()).isEqualTo(bodyAndStatus.getValue());
            assertThat(reply.json().get("error").asText()).as(what).isNotBlank();
            assertThat(reply.body()).as(what).doesNotContain("authenticationToken");
        });
        Reply form = server.send("POST", "/.auth/login/google", "access_token=abc",
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
        assertThat(form.status()).isEqualTo(415);
        assertThat(form.json().get("code").asText()).isEqualTo("unsupportedMediaType");
    }

    @Test
    void withoutSignInConfiguredTheAuthRoutesSaySoWith404() throws Exception {
        TestServer open = server(b -> b);
        for (Reply reply : List.of(login(open, "google", json("access_token", providerToken(b -> b))),
                open.send("GET", "/.auth/me", null, Map.of()))) {
            assertThat(reply.status()).isEqualTo(404);
            assertThat(reply.json().get("code").asText()).isEqualTo("noSignIn");
            assertThat(reply.json().get("error").asText()).startsWith("this server has no sign-in configured");
        }

        // With identity but no provider: no login, but /.auth/me answers for the server's own tokens.
        TestServer secretOnly = server(b -> b.authSecret(SECRET));
        assertThat(login(secretOnly, "google", json("access_token", providerToken(b -> b))).json().get("code")
                .asText()).isEqualTo("noSignIn");
        SignedJWT own = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject("alice")
                .claim("roles", List.of("admin", "editor")).expirationTime(Date.from(NOW.plus(Duration.ofHours(1))))
                .build());
        own.sign(new MACSigner(SECRET));
        Reply me = secretOnly.send("GET", "/.auth/me", null, Map.of("Authorization", "Bearer " + own.serialize()));
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get(0).get("provider_name").asText()).isEqualTo("outpost");
        assertThat(me.json().get(0).get("user_id").asText()).isEqualTo("alice");
        assertThat(me.json().get(0).get("user_claims").findValuesAsText("val")).contains("admin", "editor");
    }

    @Test
    void aProviderWithoutTheSecretOrInAnotherFormStopsTheStartWithOneLine() throws Exception {
        Path jwks = Files.writeString(dir.resolve("keys.json"), new JWKSet(providerKey).toPublicJWKSet().toString());
        String database = "jdbc:sqlite:" + dir.resolve("s.db");

        Map.Entry<Integer, String> noSecret = Cli.run("serve", "--port", "0", "--database", database, "--auth-provider",
                "google=" + ISSUER + "," + jwks);
        assertThat(noSecret.getKey()).isEqualTo(ServerMain.BAD_USAGE);
        assertThat(noSecret.getValue().strip()).doesNotContain("\n").contains("--auth-provider").contains("secret");

        Path secret = Files.write(dir.resolve("secret"), SECRET);
        Map.Entry<Integer, String> badForm = Cli.run("serve", "--port", "0", "--database", database,
                "--auth-secret-file", secret.toString(), "--auth-provider", "google");
        assertThat(badForm.getKey()).isEqualTo(ServerMain.BAD_USAGE);
        assertThat(badForm.getValue().strip()).doesNotContain("\n").contains("NAME=ISSUER,JWKS-URL-OR-FILE");

        Map.Entry<Integer, String> badKeys = Cli.run("serve", "--port", "0", "--database", database,
                "--auth-secret-file", secret.toString(), "--auth-provider", "google=" + ISSUER + ","
                + dir.resolve("missing.json"));
        assertThat(badKeys.getKey()).isEqualTo(ServerMain.START_FAILED);
        assertThat(badKeys.getValue().strip()).doesNotContain("\n").contains("sign-in provider 'google'")
                .contains("missing.json");
    }
}
