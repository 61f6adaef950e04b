package dev.outpost.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GracefulShutdownTest {

    @Test
    void stopLetsAnInFlightStreamedQueryFinish() throws Exception {
        String url = TestDatabase.SQLITE.createUrl();
        TestServer server = TestServer.startOn(TestDatabase.SQLITE, url,
                b -> b.shutdownTimeout(Duration.ofSeconds(30)).pageSizeV3(1000).maxBatchBody(32L * 1024 * 1024));
        try {
            StringBuilder operations = new StringBuilder();
            String text = "x".repeat(5_000);
            for (int i = 0; i < 200; i++) {
                operations.append(i == 0 ? "" : ",").append("{\"id\":\"o").append(i).append("\",\"table\":\"big\",")
                        .append("\"kind\":\"insert\",\"itemId\":\"i").append(i).append("\",\"item\":{\"text\":\"")
                        .append(text).append("\"}}");
            }
            assertThat(server.send("POST", "/outpost/v1/push", "{\"operations\":[" + operations + "]}",
                    java.util.Map.of()).status()).isEqualTo(200);

            try (Socket socket = new Socket()) {
                // A small receive buffer keeps the 1 MB answer from fitting into socket buffers: the handler is
                // still writing when stop() is called.
                socket.setReceiveBufferSize(4096);
                socket.connect(new java.net.InetSocketAddress("127.0.0.1", server.server().port()));
                OutputStream out = socket.getOutputStream();
                out.write(("GET /tables/big?$top=1000 HTTP/1.1\r\nHost: 127.0.0.1\r\nZUMO-API-VERSION: 3.0.0\r\n"
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                ByteArrayOutputStream received = new ByteArrayOutputStream();
                byte[] buffer = new byte[8192];
                received.write(buffer, 0, in.read(buffer));

                CompletableFuture<Void> stopped = CompletableFuture.runAsync(server::stopKeepingDatabase);
                int read;
                while ((read = in.read(buffer)) != -1) {
                    received.write(buffer, 0, read);
                }
                stopped.get(30, TimeUnit.SECONDS);

                String response = received.toString(StandardCharsets.UTF_8);
                String body = response.substring(response.indexOf("\r\n\r\n") + 4);
                if (response.toLowerCase().contains("transfer-encoding: chunked")) {
                    body = dechunk(body);
                }
                JsonNode json = TestServer.JSON.readTree(body);
                assertThat(json.get("items")).hasSize(200);
            }
        } finally {
            server.stopKeepingDatabase();
            TestDatabase.SQLITE.drop(url);
        }
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int eol = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, eol).trim(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(chunked, eol + 2, eol + 2 + size);
            at = eol + 2 + size + 2;
        }
    }
}
