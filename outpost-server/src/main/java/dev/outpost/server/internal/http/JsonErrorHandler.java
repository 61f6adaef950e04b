package dev.outpost.server.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.outpost.protocol.ErrorBody;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error handler for the answers Jetty gives before a request reaches Outpost's routes (414 URI too long, 431
 * request headers too large, 400 bad URI, bad percent-encoding or a malformed request): they get the JSON
 * {@link ErrorBody} every other error answer has, whatever the request's {@code Accept}, instead of Jetty's HTML
 * page. Set on the Jetty {@code Server}. Thread-safe.
 */
public final class JsonErrorHandler extends ErrorHandler {

    /** An error handler that answers in JSON. */
    public JsonErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
    }

    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause,
                                    Callback callback) {
        byte[] body = body(status, message);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** The JSON error body of a Jetty error answer: a code for the status and Jetty's reason as the message. */
    static byte[] body(int status, String message) {
        String reason = message == null || message.isBlank() ? HttpStatus.getMessage(status) : message;
        try {
            return RequestLimits.JSON.writeValueAsBytes(ErrorBody.of(code(status), reason));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String code(int status) {
        switch (status) {
            case 400:
                return "badRequest";
            case 404:
                return "noRoute";
            case 413:
                return "bodyTooLarge";
            case 414:
                return "uriTooLong";
            case 431:
                return "headersTooLarge";
            default:
                return status >= 500 ? "internalError" : "httpError";
        }
    }
}
