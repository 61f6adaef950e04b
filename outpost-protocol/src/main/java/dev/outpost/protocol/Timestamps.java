package dev.outpost.protocol;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * Outpost's one timestamp format: UTC, exactly three fractional digits and {@code Z} out
 * ({@code 2026-11-23T06:32:01.213Z}); zero to seven fractional digits and any offset in.
 *
 * <p>Values are kept at millisecond precision everywhere (invariant 7 of the design), so the value a client
 * receives compares exactly with the value the server stored. Thread-safe.
 */
public final class Timestamps {
    private static final DateTimeFormatter OUT = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.MILLI_OF_SECOND, 3, 3, true)
            .appendLiteral('Z')
            .toFormatter()
            .withZone(ZoneOffset.UTC);

    private static final DateTimeFormatter IN = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm")
            .optionalStart().appendPattern(":ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalEnd()
            .appendOffset("+HH:MM", "Z")
            .toFormatter()
            .withResolverStyle(ResolverStyle.STRICT);

    /** Years 0001–9999, a 'T', an optional seconds part with up to seven digits, and 'Z' or an offset. */
    private static final Pattern SHAPE = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,7})?)?(Z|z|[+-]\\d{2}:\\d{2})");

    private Timestamps() {
    }

    /** Formats an instant as UTC with exactly three fractional digits and {@code Z}, dropping sub-milliseconds. */
    public static String format(Instant instant) {
        return OUT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    /** Formats milliseconds since the epoch like {@link #format(Instant)}. */
    public static String formatMillis(long epochMillis) {
        return format(Instant.ofEpochMilli(epochMillis));
    }

    /**
     * Parses an ISO-8601 timestamp with an offset and truncates it to milliseconds.
     *
     * @throws IllegalArgumentException if the text is not such a timestamp; the message quotes it
     */
    public static Instant parse(String text) {
        if (text == null || !SHAPE.matcher(text).matches()) {
            throw new IllegalArgumentException("not a timestamp (expected e.g. 2026-11-23T06:32:01.213Z): '"
                    + abbreviate(text) + "'");
        }
        try {
            String normalized = text.endsWith("z") ? text.substring(0, text.length() - 1) + "Z" : text;
            return OffsetDateTime.parse(normalized, IN).toInstant().truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("not a valid timestamp: '" + abbreviate(text) + "'", e);
        }
    }

    /** Whether {@code text} is a timestamp {@link #parse(String)} accepts. */
    public static boolean isTimestamp(String text) {
        if (text == null || !SHAPE.matcher(text).matches()) {
            return false;
        }
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "null";
        }
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
