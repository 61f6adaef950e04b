package dev.outpost.protocol.sync;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A page of the native cursor pull ({@code GET /outpost/v1/tables/{table}/changes}):
 * {@code {"items": [...], "cursor": "...", "more": true}}. Immutable.
 *
 * <p>A client reads a page as it streams in ({@link #read(InputStream)}); a server streams the records of a page
 * from its database between {@link #writeStart} and {@link #writeEnd}, or writes a page it holds with
 * {@link #writeTo}.
 *
 * @param items  the records (tombstones included) after the requested cursor, ordered by {@code (updatedAt, id)}
 * @param cursor the opaque position after the last item (the request's cursor when the page is empty; {@code null}
 *               when there was none)
 * @param more   whether the page was full, so that more may follow
 */
public record ChangesPage(List<ObjectNode> items, String cursor, boolean more) {
    public ChangesPage {
        items = List.copyOf(items);
    }

    /** Writes the whole page to {@code out}. */
    public void writeTo(JsonGenerator out) throws IOException {
        writeStart(out);
        for (ObjectNode item : items) {
            out.writeTree(item);
        }
        writeEnd(out, cursor, more);
    }

    /** The page as compact JSON in UTF-8. */
    public byte[] toBytes() {
        return Codec.bytes(256 * items.size() + 64, this::writeTo);
    }

    /** Writes the start of a page, up to its first item: the caller then writes each item as a JSON object. */
    public static void writeStart(JsonGenerator out) throws IOException {
        out.writeStartObject();
        out.writeArrayFieldStart("items");
    }

    /** Writes the end of a page begun with {@link #writeStart}, after its last item. */
    public static void writeEnd(JsonGenerator out, String cursor, boolean more) throws IOException {
        out.writeEndArray();
        out.writeStringField("cursor", cursor);
        out.writeBooleanField("more", more);
        out.writeEndObject();
    }

    /**
     * Reads a page from a stream of UTF-8 JSON, record by record.
     *
     * @throws IOException             if the stream fails (a cut connection)
     * @throws InvalidMessageException if it is not a page (not JSON, not an object, an item that is not an object)
     */
    public static ChangesPage read(InputStream json) throws IOException {
        return Codec.read(json, "a changes page", ChangesPage::read);
    }

    /**
     * Reads a page from UTF-8 JSON.
     *
     * @throws InvalidMessageException as {@link #read(InputStream)}
     */
    public static ChangesPage read(byte[] json) {
        return Codec.read(json, "a changes page", ChangesPage::read);
    }

    private static ChangesPage read(JsonParser in) throws IOException {
        Codec.startObject(in, "a changes page");
        List<ObjectNode> items = new ArrayList<>();
        String cursor = null;
        boolean more = false;
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            String name = in.currentName();
            JsonToken value = in.nextToken();
            if (name.equals("items") && value == JsonToken.START_ARRAY) {
                while (in.nextToken() != JsonToken.END_ARRAY) {
                    if (in.currentToken() != JsonToken.START_OBJECT) {
                        throw new InvalidMessageException("item " + items.size() + " of a changes page is not an "
                                + "object");
                    }
                    items.add(Codec.MAPPER.readTree(in));
                }
            } else if (name.equals("cursor")) {
                cursor = Codec.textOrNull(in, "a changes page's cursor");
            } else if (name.equals("more")) {
                more = value == JsonToken.VALUE_TRUE;
            } else {
                in.skipChildren();
            }
        }
        return new ChangesPage(items, cursor, more);
    }
}
