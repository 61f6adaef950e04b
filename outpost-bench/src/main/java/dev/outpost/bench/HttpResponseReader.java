package dev.outpost.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads one HTTP/1.1 response at a time from bytes as they arrive: status line, headers, a body framed by
 * {@code Content-Length} or chunked transfer coding, decoded from {@code Content-Encoding: gzip} (CRC checked).
 * The load generator's own minimal client: it keeps no per-response objects beyond the body array, so that the
 * load costs little CPU next to the server it measures. One instance per connection; not thread-safe.
 */
final class HttpResponseReader {
    private enum State { LINE, HEADERS, FIXED_BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, DONE }

    private static final int MAX_LINE = 64 * 1024;

    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final StringBuilder line = new StringBuilder();
    private State state = State.LINE;
    private int status;
    private long remaining;
    private boolean chunked;
    private boolean gzip;
    private boolean keepAlive;
    private byte[] raw = new byte[16 * 1024];
    private int rawLength;
    private byte[] decoded = new byte[64 * 1024];
    private int decodedLength;

    /** Forgets the previous response; the next bytes start a new one. */
    void reset() {
        state = State.LINE;
        line.setLength(0);
        status = 0;
        remaining = -1;
        chunked = false;
        gzip = false;
        keepAlive = true;
        rawLength = 0;
        decodedLength = 0;
    }

    /**
     * Consumes bytes of {@code in} up to the end of the current response.
     *
     * @return whether the response is complete (the body is then decoded)
     * @throws IOException if the response is not HTTP/1.1 as this reader understands it
     */
    boolean feed(ByteBuffer in) throws IOException {
        while (in.hasRemaining() && state != State.DONE) {
            switch (state) {
                case LINE:
                case HEADERS:
                case CHUNK_SIZE:
                case CHUNK_END:
                case TRAILERS:
                    if (readLine(in)) {
                        onLine(line.toString());
                        line.setLength(0);
                    }
                    break;
                case FIXED_BODY:
                case CHUNK_DATA: {
                    int n = (int) Math.min(remaining, in.remaining());
                    append(in, n);
                    remaining -= n;
                    if (remaining == 0) {
                        state = state == State.FIXED_BODY ? State.DONE : State.CHUNK_END;
                    }
                    break;
                }
                default:
                    throw new IllegalStateException(state.name());
            }
        }
        if (state == State.DONE) {
            decode();
            return true;
        }
        return false;
    }

    /** The status code of the complete response. */
    int status() {
        return status;
    }

    /** Whether the server keeps the connection open after this response. */
    boolean keepAlive() {
        return keepAlive;
    }

    /** The decoded body (valid until the next response). */
    byte[] body() {
        return decoded;
    }

    /** The length of {@link #body()}. */
    int bodyLength() {
        return decodedLength;
    }

    private boolean readLine(ByteBuffer in) throws IOException {
        while (in.hasRemaining()) {
            char c = (char) (in.get() & 0xff);
            if (c == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return true;
            }
            if (line.length() >= MAX_LINE) {
                throw new IOException("response line longer than " + MAX_LINE);
            }
            line.append(c);
        }
        return false;
    }

    private void onLine(String text) throws IOException {
        switch (state) {
            case LINE:
                if (!text.startsWith("HTTP/1.1 ") || text.length() < 12) {
                    throw new IOException("not an HTTP/1.1 status line: " + text);
                }
                status = Integer.parseInt(text.substring(9, 12));
                state = State.HEADERS;
                break;
            case HEADERS:
                if (text.isEmpty()) {
                    startBody();
                } else {
                    header(text);
                }
                break;
            case CHUNK_SIZE: {
                int semicolon = text.indexOf(';');
                long size = Long.parseLong((semicolon < 0 ? text : text.substring(0, semicolon)).trim(), 16);
                if (size == 0) {
                    state = State.TRAILERS;
                } else {
                    remaining = size;
                    state = State.CHUNK_DATA;
                }
                break;
            }
            case CHUNK_END:
                if (!text.isEmpty()) {
                    throw new IOException("chunk not followed by CRLF");
                }
                state = State.CHUNK_SIZE;
                break;
            case TRAILERS:
                if (text.isEmpty()) {
                    state = State.DONE;
                }
                break;
            default:
                throw new IllegalStateException(state.name());
        }
    }

    private void header(String text) throws IOException {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IOException("malformed header: " + text);
        }
        String name = text.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = text.substring(colon + 1).trim();
        switch (name) {
            case "content-length":
                remaining = Long.parseLong(value);
                break;
            case "transfer-encoding":
                chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                break;
            case "content-encoding":
                gzip = value.equalsIgnoreCase("gzip");
                break;
            case "connection":
                keepAlive = !value.equalsIgnoreCase("close");
                break;
            default:
                break;
        }
    }

    private void startBody() throws IOException {
        if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (remaining > 0) {
            state = State.FIXED_BODY;
        } else if (remaining == 0 || status == 204 || status == 304) {
            state = State.DONE;
        } else {
            throw new IOException("response without Content-Length or chunked coding");
        }
    }

    private void append(ByteBuffer in, int n) {
        if (rawLength + n > raw.length) {
            raw = Arrays.copyOf(raw, Math.max(raw.length * 2, rawLength + n));
        }
        in.get(raw, rawLength, n);
        rawLength += n;
    }

    private void decode() throws IOException {
        if (!gzip) {
            if (decoded.length < rawLength) {
                decoded = new byte[raw.length];
            }
            System.arraycopy(raw, 0, decoded, 0, rawLength);
            decodedLength = rawLength;
            return;
        }
        int offset = gzipHeaderLength();
        inflater.reset();
        inflater.setInput(raw, offset, rawLength - offset);
        decodedLength = 0;
        try {
            while (!inflater.finished()) {
                if (decodedLength == decoded.length) {
                    decoded = Arrays.copyOf(decoded, decoded.length * 2);
                }
                int n = inflater.inflate(decoded, decodedLength, decoded.length - decodedLength);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IOException("truncated gzip body");
                }
                decodedLength += n;
            }
        } catch (DataFormatException e) {
            throw new IOException("corrupt gzip body", e);
        }
        int trailer = rawLength - inflater.getRemaining();
        if (rawLength - trailer < 8) {
            throw new IOException("gzip body without trailer");
        }
        crc.reset();
        crc.update(decoded, 0, decodedLength);
        if ((int) crc.getValue() != littleEndianInt(trailer) || decodedLength != littleEndianInt(trailer + 4)) {
            throw new IOException("gzip body fails its CRC or length check");
        }
    }

    private int gzipHeaderLength() throws IOException {
        if (rawLength < 10 || (raw[0] & 0xff) != 0x1f || (raw[1] & 0xff) != 0x8b || raw[2] != 8) {
            throw new IOException("not a gzip body");
        }
        int flags = raw[3] & 0xff;
        int offset = 10;
        if ((flags & 4) != 0) {
            offset += 2 + ((raw[offset] & 0xff) | (raw[offset + 1] & 0xff) << 8);
        }
        for (int flag : new int[] {8, 16}) {
            if ((flags & flag) != 0) {
                while (raw[offset] != 0) {
                    offset++;
                }
                offset++;
            }
        }
        if ((flags & 2) != 0) {
            offset += 2;
        }
        return offset;
    }

    private int littleEndianInt(int at) {
        return (raw[at] & 0xff) | (raw[at + 1] & 0xff) << 8 | (raw[at + 2] & 0xff) << 16 | (raw[at + 3] & 0xff) << 24;
    }

    /** The body as text, for error messages. */
    String bodyText() {
        return new String(decoded, 0, Math.min(decodedLength, 500), StandardCharsets.UTF_8);
    }
}
