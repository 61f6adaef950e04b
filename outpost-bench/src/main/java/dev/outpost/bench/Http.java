package dev.outpost.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** The load generator's HTTP client: keep-alive connections, one per thread, bodies read to the end. */
final class Http {
    static final MediaType JSON = MediaType.get("application/json");

    private final OkHttpClient client;

    Http(int connections) {
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(connections * 2);
        dispatcher.setMaxRequestsPerHost(connections * 2);
        this.client = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(connections * 2, 5, TimeUnit.MINUTES))
                .readTimeout(120, TimeUnit.SECONDS)
                .retryOnConnectionFailure(false)
                .build();
    }

    /** GETs {@code url} with {@code ZUMO-API-VERSION} and returns the body; fails unless the status is 200. */
    byte[] get(String url, String apiVersion) throws IOException {
        Request request = new Request.Builder().url(url).header("ZUMO-API-VERSION", apiVersion).build();
        try (Response response = client.newCall(request).execute()) {
            byte[] body = response.body().bytes();
            if (response.code() != 200) {
                throw new IOException("GET " + url + " answered " + response.code() + ": " + new String(body));
            }
            return body;
        }
    }

    /** POSTs JSON and fails unless the status is {@code expected}. */
    byte[] post(String url, byte[] json, int expected) throws IOException {
        Request request = new Request.Builder().url(url).header("ZUMO-API-VERSION", "3.0.0")
                .post(RequestBody.create(json, JSON)).build();
        try (Response response = client.newCall(request).execute()) {
            byte[] body = response.body().bytes();
            if (response.code() != expected) {
                throw new IOException("POST " + url + " answered " + response.code() + ": " + new String(body));
            }
            return body;
        }
    }
}
