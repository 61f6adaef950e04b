package dev.outpost.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link ServerConfig}: a configuration derived with {@code newBuilder()} keeps every setting. */
class ServerConfigTest {
    private static final byte[] SECRET = "a-secret-of-at-least-thirty-two-bytes!!".getBytes(StandardCharsets.UTF_8);

    @Test
    void newBuilderKeepsTheSignInSettings() {
        ServerConfig config = ServerConfig.builder().authSecret(SECRET).authIssuer("outpost").authAudience("todo")
                .dynamicAccess("anonymous").build();

        ServerConfig derived = config.newBuilder().port(0).build();

        assertThat(derived.authSecret()).isEqualTo(SECRET);
        assertThat(derived.authIssuer()).isEqualTo("outpost");
        assertThat(derived.authAudience()).isEqualTo("todo");
        assertThat(derived.dynamicAccess()).isEqualTo("anonymous");
    }
}
