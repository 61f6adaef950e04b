package dev.outpost.server.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.ErrorBody;
import dev.outpost.protocol.ProtocolVersion;
import dev.outpost.protocol.query.InvalidQueryException;
import dev.outpost.server.internal.auth.AccessDeniedException;
import dev.outpost.server.internal.auth.KeysUnavailableException;
import dev.outpost.server.internal.store.DuplicateIdException;
import dev.outpost.server.internal.store.OutsideViewException;
import dev.outpost.server.internal.store.RecordGoneException;
import dev.outpost.server.internal.store.RecordNotFoundException;
import dev.outpost.server.internal.store.StoreException;
import dev.outpost.server.internal.store.VersionMismatchException;
import dev.outpost.server.internal.table.InvalidRecordException;
import dev.outpost.server.internal.table.UnknownColumnException;
import dev.outpost.server.internal.table.UnknownTableException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one table from exceptions to HTTP answers: {@link #answer} maps each domain exception to a status and a JSON
 * {@link ErrorBody} (or, for conflicts, the server's record with its {@code ETag}); the route handlers' exceptions
 * and the native batch push's per-operation refusals both go through it. Anything unexpected is a 500 with an error
 * id, logged at ERROR; a client that went away is logged at DEBUG. Thread-safe.
 */
final class ErrorMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    private ErrorMapper() {
    }

    /** What an exception answers. Immutable. */
    sealed interface Answer {
        /** A status with a JSON error body; {@code closeConnection} when the rest of the request was not read. */
        record Error(int status, ErrorBody body, boolean closeConnection) implements Answer {
            Error(int status, ErrorBody body) {
                this(status, body, false);
            }
        }

        /** A conflict: the status with the server's current record as the body. */
        record Conflict(int status, ObjectNode record) implements Answer {
        }

        /** The database cannot be reached: 503. */
        record Unavailable(StoreException cause) implements Answer {
        }

        /** The client went away: nothing to answer. */
        record ClientGone() implements Answer {
        }

        /** Anything else: a 500 with an error id. */
        record Unexpected(Exception cause) implements Answer {
        }
    }

    /** An insert's id is taken by a record the caller may not see. */
    static final ErrorBody ID_TAKEN = ErrorBody.of("idTaken", "the id is taken: choose another id");
    /** A write would leave a record outside the caller's view. */
    static final ErrorBody OUTSIDE_VIEW = ErrorBody.of("forbidden", OutsideViewException.MESSAGE);

    /**
     * The answer to {@code e}.
     *
     * @param version     the request's protocol (a deleted record is 404 in v2, 410 in v3)
     * @param conditional whether the request had {@code If-Match} (a version mismatch is then 412, else 409)
     * @param route       the request's method and path, for the messages that name it
     */
    static Answer answer(Exception e, ProtocolVersion version, boolean conditional, String route) {
        if (e instanceof InvalidRequestException invalid) {
            return new Answer.Error(invalid.status(), ErrorBody.of(invalid.code(), invalid.getMessage()),
                    invalid.status() == 413);
        } else if (e instanceof InvalidQueryException query) {
            ErrorBody body = ErrorBody.of("invalidQuery", query.getMessage()).with("parameter", query.parameter());
            return new Answer.Error(400, query.position() >= 0 ? body.with("position", query.position()) : body);
        } else if (e instanceof UnknownColumnException column) {
            return new Answer.Error(400, ErrorBody.of("unknownColumn", column.getMessage())
                    .with("table", column.table()).with("column", column.column())
                    .with("parameter", column.parameter()));
        } else if (e instanceof UnknownTableException table) {
            return new Answer.Error(404, ErrorBody.of("unknownTable", table.getMessage()).with("table", table.table()));
        } else if (e instanceof InvalidRecordException record) {
            ErrorBody body = ErrorBody.of(record.code(), record.getMessage());
            return new Answer.Error(400, record.property() == null ? body : body.with("property", record.property()));
        } else if (e instanceof RecordNotFoundException) {
            return new Answer.Error(404, ErrorBody.of("notFound", "The item does not exist"));
        } else if (e instanceof RecordGoneException) {
            return version == ProtocolVersion.V2 ? new Answer.Error(404, ErrorBody.of("notFound",
                    "The item does not exist")) : new Answer.Error(410, ErrorBody.of("gone", "The item has been deleted"));
        } else if (e instanceof VersionMismatchException mismatch) {
            return new Answer.Conflict(conditional ? 412 : 409, mismatch.current());
        } else if (e instanceof DuplicateIdException duplicate) {
            // Someone else's record is not told: not even that it is a record of this table.
            return duplicate.existing() == null ? new Answer.Error(409, ID_TAKEN)
                    : new Answer.Conflict(409, duplicate.existing());
        } else if (e instanceof OutsideViewException) {
            return new Answer.Error(403, OUTSIDE_VIEW);
        } else if (e instanceof StoreException store && store.kind() == StoreException.Kind.BAD_DATA) {
            return new Answer.Error(400, ErrorBody.of("invalidQuery", "the query could not be evaluated (for example "
                    + "an arithmetic overflow)"));
        } else if (e instanceof StoreException store && store.kind() == StoreException.Kind.UNAVAILABLE) {
            return new Answer.Unavailable(store);
        } else if (e instanceof AccessDeniedException denied) {
            return new Answer.Error(denied.status(), ErrorBody.of(denied.code(), denied.getMessage()));
        } else if (e instanceof KeysUnavailableException keys) {
            return new Answer.Error(503, ErrorBody.of("unavailable", "the token cannot be verified now: "
                    + keys.getMessage() + "; try again later"));
        } else if (e instanceof HttpResponseException http) {
            String message = http.getStatus() == 404 ? "no such route: " + route : http.getMessage();
            return new Answer.Error(http.getStatus(), ErrorBody.of(http.getStatus() == 404 ? "noRoute" : "httpError",
                    message));
        } else if (isClientGone(e)) {
            return new Answer.ClientGone();
        }
        return new Answer.Unexpected(e);
    }

    /** Answers a route handler's exception. */
    static void handle(Exception e, Context ctx) {
        String route = ctx.method() + " " + ctx.path();
        Answer answer = answer(e, ProtocolNegotiator.of(ctx), ctx.header("If-Match") != null, route);
        if (answer instanceof Answer.Error error) {
            if (e instanceof AccessDeniedException denied && denied.challenge() != null) {
                ctx.header("WWW-Authenticate", denied.challenge());
            }
            if (error.closeConnection()) {
                // The rest of the body is not read: the connection cannot be reused.
                ctx.header("Connection", "close");
            }
            error(ctx, error.status(), error.body());
        } else if (answer instanceof Answer.Conflict conflict) {
            Responses.record(ctx, conflict.status(), conflict.record());
        } else if (answer instanceof Answer.Unavailable unavailable) {
            LOG.warn("database unavailable during {}: {}", route, unavailable.cause().getMessage());
            error(ctx, 503, ErrorBody.of("unavailable", "the database is unavailable; try again later"));
        } else if (answer instanceof Answer.ClientGone) {
            LOG.debug("client went away during {}", route);
        } else {
            String errorId = UUID.randomUUID().toString();
            LOG.error("unexpected failure {} during {}", errorId, route, ((Answer.Unexpected) answer).cause());
            error(ctx, 500, ErrorBody.of("internalError", "internal server error").with("errorId", errorId));
        }
    }

    /** Gives Javalin's own 404/405 answers (no route) a JSON body; leaves Outpost's JSON answers alone. */
    static void routeNotFound(Context ctx) {
        String type = ctx.res().getContentType();
        if (type == null || !type.contains("json")) {
            error(ctx, ctx.statusCode(), ErrorBody.of("noRoute", "no such route: " + ctx.method() + " "
                    + ctx.path()));
        }
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
