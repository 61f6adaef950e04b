package dev.outpost.todo;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/** Times as people say them: "just now", "2 minutes ago", "yesterday", "on 2026-11-23". Stateless. */
final class RelativeTime {
    private RelativeTime() {
    }

    /** How long before {@code now} {@code then} was, in words; times in the future (clock skew) are "just now". */
    static String ago(Instant then, Instant now, ZoneId zone) {
        long seconds = Duration.between(then, now).getSeconds();
        if (seconds < 10) {
            return "just now";
        }
        if (seconds < 60) {
            return seconds + " seconds ago";
        }
        long minutes = seconds / 60;
        if (minutes < 60) {
            return plural(minutes, "minute") + " ago";
        }
        long hours = minutes / 60;
        if (hours < 24) {
            return plural(hours, "hour") + " ago";
        }
        LocalDate day = then.atZone(zone).toLocalDate();
        LocalDate today = now.atZone(zone).toLocalDate();
        if (day.plusDays(1).equals(today)) {
            return "yesterday";
        }
        long days = hours / 24;
        if (days < 30) {
            return plural(Math.max(days, 2), "day") + " ago";
        }
        return "on " + day;
    }

    private static String plural(long count, String unit) {
        return count + " " + unit + (count == 1 ? "" : "s");
    }
}
