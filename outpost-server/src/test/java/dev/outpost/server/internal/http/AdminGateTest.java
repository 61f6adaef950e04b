package dev.outpost.server.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdminGateTest {
    @ParameterizedTest
    @CsvSource({
        "127.0.0.1, true",
        "127.8.9.10, true",
        "::1, true",
        "[::1], true",
        "0:0:0:0:0:0:0:1, true",
        "10.0.0.1, false",
        "192.168.1.20, false",
        "::ffff:10.0.0.1, false",
        "fe80::1, false",
        "localhost, false",
        "'', false",
    })
    void onlyLoopbackAddressesAreThisMachine(String address, boolean loopback) {
        assertThat(AdminGate.isLoopback(address)).isEqualTo(loopback);
    }
}
