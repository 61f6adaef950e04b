package dev.outpost.server.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.server.TestServer;
import dev.outpost.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every error answer is the JSON error body, including those Jetty gives before Outpost sees the request. HTTP
 * clients refuse to send such requests, so each is written as raw bytes on a socket.
 */
class JettyErrorsTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestDatabase.SQLITE);
        assertThat(server.v3("POST", "/tables/todoitem", "{\"id\":\"a\",\"text\":\"x\"}").status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A raw HTTP answer. */
    private record RawReply(int status, Map<String, String> headers, String body) {
    }

    private static RawReply send(String head) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.server().port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return read(socket.getInputStream());
        }
    }

    private static RawReply read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            all.write(buffer, 0, n);
        }
        String text = all.toString(StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        assertThat(end).as("a complete head in: %s", text).isPositive();
        String[] lines = text.substring(0, end).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1)
                    .trim());
        }
        String body = text.substring(end + 4);
        if (headers.containsKey("content-length")) {
            body = body.substring(0, Integer.parseInt(headers.get("content-length")));
        }
        return new RawReply(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
    }

    private static String get(String target, String... extraHeaders) {
        return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nZUMO-API-VERSION: 3.0.0\r\nAccept: text/html\r\n"
                + String.join("", extraHeaders) + "Connection: close\r\n\r\n";
    }

    static Stream<Arguments> requestsJettyRefuses() {
        String longQuery = "/tables/todoitem?$filter=text%20eq%20'" + "x".repeat(70 * 1024) + "'";
        return Stream.of(
                Arguments.of("URI too long", get(longQuery), 414, "uriTooLong"),
                Arguments.of("headers too large", get("/tables/todoitem", "X-Big: " + "y".repeat(70 * 1024) + "\r\n"),
                        431, "headersTooLarge"),
                Arguments.of("many headers too large", get("/tables/todoitem",
                        ("X-More: " + "w".repeat(1000) + "\r\n").repeat(80)), 431, "headersTooLarge"),
                Arguments.of("bad percent-encoding in the path", get("/tables/todo%zzitem"), 400, "badRequest"),
                Arguments.of("truncated percent-encoding", get("/tables/todoitem%2"), 400, "badRequest"),
                Arguments.of("bad UTF-8 in the path", get("/tables/%C3%28"), 400, "badRequest"),
                Arguments.of("encoded NUL in the path", get("/tables/a%00b"), 400, "badRequest"),
                Arguments.of("path escaping the root", get("/../tables/todoitem"), 400, "badRequest"),
                Arguments.of("not an absolute path", get("tables/todoitem"), 400, "badRequest"),
                Arguments.of("a header without a colon", get("/tables/todoitem", "NoColonHere\r\n"), 400,
                        "badRequest"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestsJettyRefuses")
    void jettysOwnErrorAnswersAreTheJsonErrorBody(String name, String request, int status, String code)
            throws IOException {
        RawReply reply = send(request);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.headers().get("content-type")).as(reply.toString()).startsWith("application/json");
        JsonNode body = TestServer.JSON.readTree(reply.body());
        assertThat(body.get("code").asText()).isEqualTo(code);
        assertThat(body.get("error").asText()).isNotBlank();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestsOutpostRefuses")
    void badQueryEncodingIsAJsonBadRequestToo(String name, String target) throws IOException {
        RawReply reply = send(get(target));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.headers().get("content-type")).startsWith("application/json");
        assertThat(TestServer.JSON.readTree(reply.body()).get("error").asText()).isNotBlank();
    }

    static Stream<Arguments> requestsOutpostRefuses() {
        return Stream.of(
                Arguments.of("bad percent-encoding in the query", "/tables/todoitem?$filter=%zz"),
                Arguments.of("truncated percent-encoding in the query", "/tables/todoitem?$top=1%2"));
    }
}
