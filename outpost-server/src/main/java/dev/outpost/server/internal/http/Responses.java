package dev.outpost.server.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.ETags;
import dev.outpost.protocol.SystemColumns;
import io.javalin.http.Context;

/** Writes single-record answers: the record as JSON with its strong {@code ETag}. Thread-safe. */
final class Responses {
    private Responses() {
    }

    static void record(Context ctx, int status, ObjectNode record) {
        ctx.status(status);
        String version = record.path(SystemColumns.VERSION).asText(null);
        if (version != null) {
            ctx.header("ETag", ETags.quote(version));
        }
        ctx.contentType("application/json");
        try {
            ctx.result(RequestLimits.JSON.writeValueAsBytes(record));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The absolute URL of the server for {@code ctx}: scheme and {@code Host}. */
    static String origin(Context ctx) {
        String host = ctx.header("Host");
        if (host == null || host.isBlank()) {
            host = ctx.req().getServerName() + ":" + ctx.req().getServerPort();
        }
        return ctx.scheme() + "://" + host;
    }
}
