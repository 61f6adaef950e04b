package dev.outpost.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.outpost.protocol.ErrorBody;
import dev.outpost.protocol.ProtocolVersion;
import dev.outpost.protocol.query.InvalidQueryException;
import dev.outpost.server.store.DuplicateIdException;
import dev.outpost.server.store.RecordGoneException;
import dev.outpost.server.store.RecordNotFoundException;
import dev.outpost.server.store.StoreException;
import dev.outpost.server.store.VersionMismatchException;
import dev.outpost.server.table.InvalidRecordException;
import dev.outpost.server.table.UnknownColumnException;
import dev.outpost.server.table.UnknownTableException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one table from exceptions to HTTP answers: each domain exception becomes a status and a JSON
 * {@link ErrorBody} (or, for conflicts, the server's record with its {@code ETag}). Anything unexpected is a 500
 * with an error id, logged at ERROR; a client that went away is logged at DEBUG. Thread-safe.
 */
final class ErrorMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    private ErrorMapper() {
    }

    static void handle(Exception e, Context ctx) {
        if (e instanceof InvalidRequestException invalid) {
            if (invalid.status() == 413) {
                // The rest of the body is not read: the connection cannot be reused.
                ctx.header("Connection", "close");
            }
            error(ctx, invalid.status(), ErrorBody.of(invalid.code(), invalid.getMessage()));
        } else if (e instanceof InvalidQueryException query) {
            ErrorBody body = ErrorBody.of("invalidQuery", query.getMessage()).with("parameter", query.parameter());
            error(ctx, 400, query.position() >= 0 ? body.with("position", query.position()) : body);
        } else if (e instanceof UnknownColumnException column) {
            error(ctx, 400, ErrorBody.of("unknownColumn", column.getMessage()).with("table", column.table())
                    .with("column", column.column()).with("parameter", column.parameter()));
        } else if (e instanceof UnknownTableException table) {
            error(ctx, 404, ErrorBody.of("unknownTable", table.getMessage()).with("table", table.table()));
        } else if (e instanceof InvalidRecordException record) {
            ErrorBody body = ErrorBody.of(record.code(), record.getMessage());
            error(ctx, 400, record.property() == null ? body : body.with("property", record.property()));
        } else if (e instanceof RecordNotFoundException) {
            error(ctx, 404, ErrorBody.of("notFound", "The item does not exist"));
        } else if (e instanceof RecordGoneException) {
            if (ProtocolNegotiator.of(ctx) == ProtocolVersion.V2) {
                error(ctx, 404, ErrorBody.of("notFound", "The item does not exist"));
            } else {
                error(ctx, 410, ErrorBody.of("gone", "The item has been deleted"));
            }
        } else if (e instanceof VersionMismatchException mismatch) {
            int status = ctx.header("If-Match") != null ? 412 : 409;
            Responses.record(ctx, status, mismatch.current());
        } else if (e instanceof DuplicateIdException duplicate) {
            Responses.record(ctx, 409, duplicate.existing());
        } else if (e instanceof StoreException store) {
            store(ctx, store);
        } else if (e instanceof HttpResponseException http) {
            String message = http.getStatus() == 404 ? "no such route: " + ctx.method() + " " + ctx.path()
                    : http.getMessage();
            error(ctx, http.getStatus(), ErrorBody.of(http.getStatus() == 404 ? "noRoute" : "httpError", message));
        } else if (isClientGone(e)) {
            LOG.debug("client went away during {} {}", ctx.method(), ctx.path());
        } else {
            unexpected(ctx, e);
        }
    }

    /**
     * The status and error body of a refused record or operation (a bad id, wrong type, unknown column or table),
     * or {@code null} when {@code e} is not such a refusal.
     */
    static Map.Entry<Integer, ErrorBody> refusal(Exception e) {
        if (e instanceof InvalidRecordException record) {
            ErrorBody body = ErrorBody.of(record.code(), record.getMessage());
            return Map.entry(400, record.property() == null ? body : body.with("property", record.property()));
        }
        if (e instanceof UnknownColumnException column) {
            return Map.entry(400, ErrorBody.of("unknownColumn", column.getMessage()).with("table", column.table())
                    .with("column", column.column()));
        }
        if (e instanceof UnknownTableException table) {
            return Map.entry(404, ErrorBody.of("unknownTable", table.getMessage()).with("table", table.table()));
        }
        return null;
    }

    /** Gives Javalin's own 404/405 answers (no route) a JSON body; leaves Outpost's JSON answers alone. */
    static void routeNotFound(Context ctx) {
        String type = ctx.res().getContentType();
        if (type == null || !type.contains("json")) {
            error(ctx, ctx.statusCode(), ErrorBody.of("noRoute", "no such route: " + ctx.method() + " "
                    + ctx.path()));
        }
    }

    private static void store(Context ctx, StoreException e) {
        switch (e.kind()) {
            case BAD_DATA:
                error(ctx, 400, ErrorBody.of("invalidQuery", "the query could not be evaluated (for example an "
                        + "arithmetic overflow)"));
                break;
            case UNAVAILABLE:
                LOG.warn("database unavailable during {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
                error(ctx, 503, ErrorBody.of("unavailable", "the database is unavailable; try again later"));
                break;
            case FAILURE:
            default:
                unexpected(ctx, e);
                break;
        }
    }

    private static void unexpected(Context ctx, Exception e) {
        String errorId = UUID.randomUUID().toString();
        LOG.error("unexpected failure {} during {} {}", errorId, ctx.method(), ctx.path(), e);
        error(ctx, 500, ErrorBody.of("internalError", "internal server error").with("errorId", errorId));
    }

    private static boolean isClientGone(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getName().endsWith("EofException")) {
                return true;
            }
        }
        return false;
    }

    static void error(Context ctx, int status, ErrorBody body) {
        try {
            ctx.status(status);
            ctx.contentType("application/json");
            ctx.result(RequestLimits.JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
