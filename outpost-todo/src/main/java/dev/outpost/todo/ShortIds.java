package dev.outpost.todo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Ids as people type them: the shortest prefix that tells an id apart from every other (at least
 * {@value #MIN_LENGTH} characters, as git shortens commit ids), and the id a typed prefix stands for. Stateless.
 */
final class ShortIds {
    /** The shortest prefix shown, even when fewer characters would be unique. */
    static final int MIN_LENGTH = 6;

    private ShortIds() {
    }

    /** For each id, its shortest unique prefix of at least {@value #MIN_LENGTH} characters (or the whole id). */
    static Map<String, String> of(Collection<String> ids) {
        List<String> sorted = new ArrayList<>(ids);
        sorted.sort(String.CASE_INSENSITIVE_ORDER);
        Map<String, String> shortIds = new HashMap<>();
        for (int i = 0; i < sorted.size(); i++) {
            String id = sorted.get(i);
            int length = MIN_LENGTH;
            if (i > 0) {
                length = Math.max(length, commonPrefix(id, sorted.get(i - 1)) + 1);
            }
            if (i + 1 < sorted.size()) {
                length = Math.max(length, commonPrefix(id, sorted.get(i + 1)) + 1);
            }
            shortIds.put(id, id.substring(0, Math.min(length, id.length())));
        }
        return shortIds;
    }

    /**
     * The one id that {@code typed} stands for: the id itself, or the only id it starts (ignoring case).
     *
     * @param where what the ids belong to, for the message ("item", "conflict")
     * @throws UnknownIdException   if no id starts with it
     * @throws AmbiguousIdException if several do
     */
    static String resolve(String typed, Collection<String> ids, String where) {
        if (ids.contains(typed)) {
            return typed;
        }
        String lower = typed.toLowerCase(Locale.ROOT);
        List<String> matches = new ArrayList<>();
        for (String id : ids) {
            if (id.toLowerCase(Locale.ROOT).startsWith(lower)) {
                matches.add(id);
            }
        }
        if (matches.isEmpty() || typed.isEmpty()) {
            throw new UnknownIdException(typed, where);
        }
        if (matches.size() > 1) {
            matches.sort(String.CASE_INSENSITIVE_ORDER);
            throw new AmbiguousIdException(typed, matches);
        }
        return matches.get(0);
    }

    private static int commonPrefix(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int i = 0;
        while (i < n && Character.toLowerCase(a.charAt(i)) == Character.toLowerCase(b.charAt(i))) {
            i++;
        }
        return i;
    }
}
