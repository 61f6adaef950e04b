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

    /** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the years the direct paths handle. */
    private static final long MIN_FAST_SECOND = -62_135_596_800L;
    private static final long MAX_FAST_SECOND = 253_402_300_799L;
    private static final long NOT_CANONICAL = Long.MIN_VALUE;

    private Timestamps() {
    }

    /** Formats an instant as UTC with exactly three fractional digits and {@code Z}, dropping sub-milliseconds. */
    public static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds >= MIN_FAST_SECOND && seconds <= MAX_FAST_SECOND) {
            return formatMillis(seconds * 1000 + instant.getNano() / 1_000_000);
        }
        return OUT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    /**
     * Formats milliseconds since the epoch like {@link #format(Instant)}. Servers write this for every date of every
     * record they send, so years 0001–9999 take a direct path that builds the 24 characters without a formatter.
     */
    public static String formatMillis(long epochMillis) {
        if (epochMillis < MIN_FAST_SECOND * 1000 || epochMillis > MAX_FAST_SECOND * 1000 + 999) {
            return OUT.format(Instant.ofEpochMilli(epochMillis));
        }
        long days = Math.floorDiv(epochMillis, 86_400_000L);
        int millisOfDay = (int) Math.floorMod(epochMillis, 86_400_000L);
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm, proleptic Gregorian).
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));
        char[] out = new char[24];
        digits(out, 0, year, 4);
        out[4] = '-';
        digits(out, 5, month, 2);
        out[7] = '-';
        digits(out, 8, day, 2);
        out[10] = 'T';
        digits(out, 11, millisOfDay / 3_600_000, 2);
        out[13] = ':';
        digits(out, 14, millisOfDay / 60_000 % 60, 2);
        out[16] = ':';
        digits(out, 17, millisOfDay / 1000 % 60, 2);
        out[19] = '.';
        digits(out, 20, millisOfDay % 1000, 3);
        out[23] = 'Z';
        return new String(out);
    }

    private static void digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * Parses an ISO-8601 timestamp with an offset and truncates it to milliseconds.
     *
     * @throws IllegalArgumentException if the text is not such a timestamp; the message quotes it
     */
    public static Instant parse(String text) {
        if (text != null && text.length() == 24) {
            long millis = parseCanonical(text);
            if (millis != NOT_CANONICAL) {
                return Instant.ofEpochMilli(millis);
            }
        }
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

    /**
     * Reads the canonical form {@code yyyy-MM-ddTHH:mm:ss.SSSZ} directly (what Outpost itself writes and stores), or
     * returns {@link #NOT_CANONICAL} so that the caller takes the general path.
     */
    private static long parseCanonical(String t) {
        if (t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
                || t.charAt(16) != ':' || t.charAt(19) != '.' || t.charAt(23) != 'Z') {
            return NOT_CANONICAL;
        }
        int year = number(t, 0, 4);
        int month = number(t, 5, 2);
        int day = number(t, 8, 2);
        int hour = number(t, 11, 2);
        int minute = number(t, 14, 2);
        int second = number(t, 17, 2);
        int millis = number(t, 20, 3);
        if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23
                || minute > 59 || second > 59 || millis < 0) {
            return NOT_CANONICAL;
        }
        // Days since 1970-01-01 from a civil date (Howard Hinnant's algorithm).
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        long days = era * 146_097 + dayOfEra - 719_468;
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
    }

    private static int number(String text, int at, int width) {
        int value = 0;
        for (int i = at; i < at + width; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1_000_000;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static int daysInMonth(int year, int month) {
        if (month == 2) {
            boolean leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
            return leap ? 29 : 28;
        }
        return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
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
