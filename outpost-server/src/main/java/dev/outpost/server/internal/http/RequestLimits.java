package dev.outpost.server.internal.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Reads request bodies within limits: the media type must be JSON (a missing {@code Content-Type} counts as
 * JSON), the body at most a given size (read without buffering more than the limit), the JSON well-formed, not
 * too deep, and an object. Thread-safe.
 */
final class RequestLimits {
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64)
                .maxNumberLength(400).build());
    }

    private RequestLimits() {
    }

    /**
     * Reads the body of {@code ctx} as a JSON object of at most {@code maxBytes} bytes.
     *
     * @throws InvalidRequestException 415 for a non-JSON media type, 413 when too large, 400 for bad JSON or a
     *                                 body that is not an object
     */
    static ObjectNode readObject(Context ctx, long maxBytes) {
        JsonNode node = readJson(ctx, maxBytes);
        if (!node.isObject()) {
            throw new InvalidRequestException(400, "invalidBody", "the body must be a JSON object, not "
                    + describe(node));
        }
        return (ObjectNode) node;
    }

    /** Reads the body of {@code ctx} as JSON, with the same checks as {@link #readObject}. */
    static JsonNode readJson(Context ctx, long maxBytes) {
        requireJsonContentType(ctx);
        byte[] body = readBytes(ctx, maxBytes);
        if (body.length == 0) {
            throw new InvalidRequestException(400, "invalidJson", "the body is empty; a JSON object was expected");
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException(400, "invalidJson", "the body is not valid JSON: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireJsonContentType(Context ctx) {
        String type = ctx.header("Content-Type");
        if (type == null || type.isBlank()) {
            return;
        }
        String mediaType = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json") && !mediaType.endsWith("+json") && !mediaType.equals("text/json")) {
            throw new InvalidRequestException(415, "unsupportedMediaType", "unsupported Content-Type '"
                    + abbreviate(mediaType) + "': send application/json");
        }
    }

    private static byte[] readBytes(Context ctx, long maxBytes) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(maxBytes);
        }
        try {
            InputStream in = ctx.req().getInputStream();
            String encoding = ctx.header("Content-Encoding");
            if (encoding != null && encoding.trim().equalsIgnoreCase("gzip")) {
                in = new GZIPInputStream(in);
            } else if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
                throw new InvalidRequestException(415, "unsupportedMediaType", "unsupported Content-Encoding '"
                        + abbreviate(encoding) + "'");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Math.max(declared, 256), 65536));
            byte[] buffer = new byte[8192];
            long total = 0;
            int read;
            while ((read = in.read(buffer)) != -1) {
                total += read;
                if (total > maxBytes) {
                    throw tooLarge(maxBytes);
                }
                out.write(buffer, 0, read);
            }
            return out.toByteArray();
        } catch (java.util.zip.ZipException e) {
            throw new InvalidRequestException(400, "invalidBody", "the gzip body is corrupt");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InvalidRequestException tooLarge(long maxBytes) {
        return new InvalidRequestException(413, "bodyTooLarge", "the body is larger than the limit of " + maxBytes
                + " bytes");
    }

    private static String describe(JsonNode node) {
        if (node.isArray()) {
            return "an array";
        }
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isNumber()) {
            return "a number";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        return "null";
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "…";
    }
}
