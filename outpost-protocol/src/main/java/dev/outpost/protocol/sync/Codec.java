package dev.outpost.protocol.sync;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.SystemColumns;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** The JSON plumbing the native messages share. Stateless, thread-safe. */
final class Codec {
    static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private Codec() {
    }

    /** What writes a message to a generator. */
    @FunctionalInterface
    interface Body {
        void write(JsonGenerator out) throws IOException;
    }

    /** What reads a message from a parser positioned before its first token. */
    @FunctionalInterface
    interface Reading<T> {
        T read(JsonParser in) throws IOException;
    }

    static byte[] bytes(int sizeHint, Body body) {
        ByteArrayBuilder bytes = new ByteArrayBuilder(sizeHint);
        try (JsonGenerator out = MAPPER.createGenerator(bytes)) {
            body.write(out);
        } catch (IOException e) {
            // Writing to memory fails only if a value cannot be written at all.
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static void write(OutputStream stream, Body body) throws IOException {
        try (JsonGenerator out = MAPPER.getFactory().createGenerator(stream, JsonEncoding.UTF8)) {
            body.write(out);
        }
    }

    static <T> T read(byte[] json, String what, Reading<T> reading) {
        try (JsonParser in = MAPPER.createParser(json)) {
            return reading.read(in);
        } catch (JsonProcessingException e) {
            throw new InvalidMessageException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            // Bytes in memory cannot fail to be read.
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads from a stream; an {@link IOException} of the stream itself (a cut connection) is rethrown, a malformed
     * document is an {@link InvalidMessageException}.
     */
    static <T> T read(InputStream json, String what, Reading<T> reading) throws IOException {
        try (JsonParser in = MAPPER.createParser(json)) {
            return reading.read(in);
        } catch (JsonProcessingException e) {
            throw new InvalidMessageException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Expects the start of an object at the parser's next token. */
    static void startObject(JsonParser in, String what) throws IOException {
        if (in.nextToken() != JsonToken.START_OBJECT) {
            throw new InvalidMessageException(what + " must be a JSON object");
        }
    }

    /** The object at the parser's current token, or {@code null} for JSON null. */
    static ObjectNode objectOrNull(JsonParser in, String what) throws IOException {
        JsonToken token = in.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.START_OBJECT) {
            throw new InvalidMessageException(what + " must be an object");
        }
        return MAPPER.readTree(in);
    }

    /** The text at the parser's current token, or {@code null} for JSON null. */
    static String textOrNull(JsonParser in, String what) throws IOException {
        JsonToken token = in.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING) {
            throw new InvalidMessageException(what + " must be a string");
        }
        return in.getText();
    }

    /** Writes a record as it travels in a push: without the properties the server manages. */
    static void writeItem(JsonGenerator out, ObjectNode item) throws IOException {
        out.writeStartObject();
        for (var field : item.properties()) {
            if (!SystemColumns.isLeftOutOfBodies(field.getKey())) {
                out.writeFieldName(field.getKey());
                out.writeTree(field.getValue());
            }
        }
        out.writeEndObject();
    }

    /** Whether a node is a non-empty string. */
    static boolean isText(JsonNode node) {
        return node != null && node.isTextual() && !node.asText().isEmpty();
    }
}
