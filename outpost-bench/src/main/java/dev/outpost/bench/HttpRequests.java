package dev.outpost.bench;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of the HTTP/1.1 requests the load generator sends: the headers a real client sends (OkHttp's set:
 * {@code Host}, keep-alive, {@code Accept-Encoding: gzip}, a user agent), plus {@code ZUMO-API-VERSION}.
 */
final class HttpRequests {
    private final String head;

    HttpRequests(InetSocketAddress server) {
        this(server, null);
    }

    /** Requests that carry {@code Authorization: Bearer <token>} too ({@code null}: none). */
    HttpRequests(InetSocketAddress server, String token) {
        this.head = "Host: " + server.getHostString() + ":" + server.getPort() + "\r\nConnection: keep-alive\r\n"
                + "Accept-Encoding: gzip\r\nUser-Agent: outpost-bench\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n");
    }

    /** A GET of {@code target} (path and query, already encoded). */
    byte[] get(String target, String apiVersion) {
        return ("GET " + target + " HTTP/1.1\r\n" + head + "ZUMO-API-VERSION: " + apiVersion + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A POST of a JSON body to {@code target}. */
    byte[] post(String target, String apiVersion, byte[] json) {
        byte[] headers = ("POST " + target + " HTTP/1.1\r\n" + head + "ZUMO-API-VERSION: " + apiVersion + "\r\n"
                + "Content-Type: application/json; charset=utf-8\r\nContent-Length: " + json.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(headers.length + json.length);
        out.writeBytes(headers);
        out.writeBytes(json);
        return out.toByteArray();
    }
}
