package dev.outpost.client.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.client.OutpostClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.SocketFactory;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class NoDelaySocketFactoryTest {

    @Test
    void everyWayOfMakingASocketTurnsNagleOff() throws Exception {
        NoDelaySocketFactory factory = new NoDelaySocketFactory(SocketFactory.getDefault());
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();
            InetAddress loopback = InetAddress.getLoopbackAddress();
            try (Socket unconnected = factory.createSocket();
                 Socket byName = factory.createSocket("127.0.0.1", port);
                 Socket byAddress = factory.createSocket(loopback, port);
                 Socket byNameFrom = factory.createSocket("127.0.0.1", port, loopback, 0);
                 Socket byAddressFrom = factory.createSocket(loopback, port, loopback, 0)) {
                for (Socket socket : List.of(unconnected, byName, byAddress, byNameFrom, byAddressFrom)) {
                    assertThat(socket.getTcpNoDelay()).isTrue();
                }
            }
        }
    }

    @Test
    void theClientWrapsTheAppsOwnSocketFactory() throws Exception {
        List<RecordingSocket> made = new CopyOnWriteArrayList<>();
        SocketFactory recording = new SocketFactory() {
            @Override
            public Socket createSocket() {
                RecordingSocket socket = new RecordingSocket();
                made.add(socket);
                return socket;
            }

            @Override
            public Socket createSocket(String host, int port) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Socket createSocket(InetAddress host, int port) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
                throw new UnsupportedOperationException();
            }
        };
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            OutpostClient client = OutpostClient.builder().baseUrl("http://127.0.0.1:" + server.getLocalPort())
                    .httpClient(new OkHttpClient.Builder().socketFactory(recording).build())
                    .readTimeout(java.time.Duration.ofMillis(300)).build();
            try {
                client.getTable("todoitem").lookup("a");
            } catch (RuntimeException expected) {
                // The server socket never answers: only the socket the client made matters here.
            }
        }
        assertThat(made).isNotEmpty().allSatisfy(socket -> assertThat(socket.noDelay).isTrue());
    }

    /** A socket that remembers whether Nagle was turned off (a closed socket cannot be asked). */
    private static final class RecordingSocket extends Socket {
        volatile boolean noDelay;

        @Override
        public void setTcpNoDelay(boolean on) throws java.net.SocketException {
            super.setTcpNoDelay(on);
            noDelay = on;
        }
    }
}
