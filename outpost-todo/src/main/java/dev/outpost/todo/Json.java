package dev.outpost.todo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.io.UncheckedIOException;

/**
 * The {@code --json} output: pretty-printed JSON, one document per command, nothing else on standard output.
 * Stateless.
 */
final class Json {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }

    static ArrayNode array() {
        return NODES.arrayNode();
    }

    /** {@code {"id": …, "text": …, "complete": …}}: the fields a script needs. */
    static ObjectNode item(TodoItem item) {
        ObjectNode node = object();
        node.put("id", item.id());
        node.put("text", item.text());
        node.put("complete", item.complete());
        return node;
    }

    /** Prints {@code node} and a newline. */
    static void print(PrintStream out, JsonNode node) {
        try {
            out.println(Holder.MAPPER.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loaded only when JSON is printed, to keep the other commands quick to start. */
    private static final class Holder {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }
}
