package dev.outpost.todo;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.outpost.server.OutpostServer;
import dev.outpost.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code login}, {@code whoami}, {@code logout}: the token is kept in the settings file (readable by its owner
 * only), the list belongs to the first user it syncs as, and a sync as another user is refused in one line with exit
 * code 6 until {@code logout}, which pushes the changes and clears the list.
 */
class SignInTest {
    @TempDir
    Path dir;
    private OutpostServer server;

    private record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void start() {
        server = OutpostServer.builder().config(ServerConfig.builder().port(0).host("127.0.0.1")
                .database("jdbc:sqlite:" + dir.resolve("server.db")).shutdownTimeout(Duration.ZERO).build())
                .build().start();
        run("config", "server", "http://127.0.0.1:" + server.port());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Run run(String... args) {
        return runOn(dir.resolve("todo.db"), args);
    }

    private Run runOn(Path store, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Output output = new Output(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false, new Style(false),
                Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC));
        int code = TodoApp.run(args, output, Map.of("OUTPOST_TODO_STORE", store.toString()));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A JWT-shaped token for {@code user} (this server has no identity configured, so it is not verified). */
    private static String token(String user) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"sub\":\"" + user + "\"}").getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }

    @Test
    void theTokenIsKeptPrivatelyAndTheListBelongsToItsFirstUserUntilLogout() throws Exception {
        assertThat(run("whoami").out()).contains("Not logged in.");

        Run login = run("login", "--token", token("alice"));

        assertThat(login.exitCode()).isZero();
        assertThat(login.out()).contains("Signed in as alice");
        Path settings = dir.resolve("todo.properties");
        assertThat(Files.readString(settings)).contains("token=" + token("alice"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(settings))).isEqualTo("rw-------");
        assertThat(run("whoami").out()).contains("Logged in as alice.");
        run("add", "alice's", "milk");
        assertThat(run("sync").exitCode()).isZero();
        assertThat(run("status").out()).contains("alice");

        Run otherUser = run("login", "--token", token("bob"));
        assertThat(otherUser.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(otherUser.err()).contains("this list belongs to alice; log out first");
        assertThat(run("whoami").out()).contains("Logged in as alice.");

        // A token changed behind the app's back (the settings file edited): the sync is refused, nothing is sent.
        Files.writeString(settings, Files.readString(settings).replace(token("alice"), token("bob")));
        run("add", "bread");
        Run refused = run("sync");

        assertThat(refused.exitCode()).isEqualTo(ExitCodes.SIGN_IN);
        assertThat(refused.err().strip().lines()).hasSize(1);
        assertThat(refused.err()).contains("This list belongs to alice, not bob");
        assertThat(run("whoami").out()).contains("This list belongs to alice");
        assertThat(run("status").out()).contains("1 change: 1 added");

        Run notYet = run("logout");
        assertThat(notYet.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(notYet.err()).contains("Not logged out").contains("1 operation(s) are not synced");

        // Logging out as alice pushes what is queued and clears the list.
        Files.writeString(settings, Files.readString(settings).replace(token("bob"), token("alice")));
        Run logout = run("logout");
        assertThat(logout.exitCode()).isZero();
        assertThat(logout.out()).contains("Logged out (alice)");
        assertThat(Files.readString(settings)).doesNotContain("token=");
        assertThat(run("list").out()).contains("0 open · 0 done");
        assertThat(run("status").out()).contains("not logged in");

        run("login", "--token", token("bob"));
        assertThat(run("sync").exitCode()).isZero();
        assertThat(run("whoami").out()).contains("Logged in as bob.").doesNotContain("belongs to");
    }

    @Test
    void againstAServerWithIdentityASyncNeedsLoginAndSaysSoInOneLine() throws Exception {
        byte[] secret = "a-secret-of-at-least-thirty-two-bytes!!".getBytes(StandardCharsets.UTF_8);
        OutpostServer secured = OutpostServer.builder().config(ServerConfig.builder().port(0).host("127.0.0.1")
                .database("jdbc:sqlite:" + dir.resolve("secured.db")).authSecret(secret)
                .shutdownTimeout(Duration.ZERO).build()).build().start();
        try {
            run("config", "server", "http://127.0.0.1:" + secured.port());
            run("add", "milk");

            Run anonymous = run("sync");

            assertThat(anonymous.exitCode()).isEqualTo(ExitCodes.SIGN_IN);
            assertThat(anonymous.err().strip().lines()).hasSize(1);
            assertThat(anonymous.err()).contains("refused the sign-in (401").contains("todo login --token")
                    .contains("1 change stays queued");

            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                    .subject("alice").expirationTime(Date.from(Instant.now().plusSeconds(3600))).build());
            jwt.sign(new MACSigner(secret));
            run("login", "--token", jwt.serialize());

            assertThat(run("sync").exitCode()).isZero();
            assertThat(run("whoami").out()).contains("Logged in as alice.");
        } finally {
            secured.close();
        }
    }

    @Test
    void twoUsersOnOneServerWithPerUserTablesKeepTheirListsApart() throws Exception {
        byte[] secret = "a-secret-of-at-least-thirty-two-bytes!!".getBytes(StandardCharsets.UTF_8);
        OutpostServer secured = OutpostServer.builder().config(ServerConfig.builder().port(0).host("127.0.0.1")
                .database("jdbc:sqlite:" + dir.resolve("users.db")).authSecret(secret).dynamicAccess("per-user")
                .shutdownTimeout(Duration.ZERO).build()).build().start();
        try {
            Path alice = dir.resolve("alice.db");
            Path bob = dir.resolve("bob.db");
            for (Path store : new Path[] {alice, bob}) {
                String user = store == alice ? "alice" : "bob";
                runOn(store, "config", "server", "http://127.0.0.1:" + secured.port());
                SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                        .subject(user).expirationTime(Date.from(Instant.now().plusSeconds(3600))).build());
                jwt.sign(new MACSigner(secret));
                assertThat(runOn(store, "login", "--token", jwt.serialize()).exitCode()).isZero();
            }
            runOn(alice, "add", "Buy milk");
            assertThat(runOn(alice, "sync").exitCode()).isZero();
            runOn(bob, "add", "Fix the bike");
            assertThat(runOn(bob, "sync").exitCode()).isZero();
            assertThat(runOn(alice, "sync").exitCode()).isZero();

            assertThat(runOn(alice, "list", "--all").out()).contains("Buy milk").doesNotContain("Fix the bike");
            assertThat(runOn(bob, "list", "--all").out()).contains("Fix the bike").doesNotContain("Buy milk");
        } finally {
            secured.close();
        }
    }

    @Test
    void aBadTokenIsRefusedAtLogin() {
        Run bad = run("login", "--token", "two words");

        assertThat(bad.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(bad.err()).contains("That is not a token");
    }
}
