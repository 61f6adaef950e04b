package dev.outpost.server.internal.table;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/** The rules for table and column names, and their physical SQL names. Thread-safe. */
public final class Names {
    private static final Pattern TABLE = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    private static final Pattern COLUMN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    /** PostgreSQL truncates identifiers longer than 63 bytes; longer names get a shortened, hashed SQL name. */
    private static final int MAX_SQL_NAME = 63;

    private Names() {
    }

    /** Whether {@code name} is a valid table name that is not reserved ({@code outpost_…}). */
    public static boolean isValidTableName(String name) {
        return name != null && TABLE.matcher(name).matches()
                && !name.toLowerCase(Locale.ROOT).startsWith("outpost_");
    }

    /** Whether {@code name} is a valid user column name (not reserved: {@code __…}). */
    public static boolean isValidColumnName(String name) {
        return name != null && COLUMN.matcher(name).matches() && !name.startsWith("__");
    }

    /** The lookup key of a name: its lower-case form. */
    public static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** The physical SQL name for a (valid) table or column name: the name, or a shortened hashed form. */
    public static String sqlName(String name) {
        if (name.length() <= MAX_SQL_NAME) {
            return name;
        }
        return name.substring(0, 50) + "_" + hash(key(name)).substring(0, 12);
    }

    /** A short name derived from a table's key, for its {@code (updatedAt, id)} index. */
    public static String indexName(String tableKey) {
        String base = tableKey.length() > 30 ? tableKey.substring(0, 30) : tableKey;
        return "ix_" + base + "_" + hash(tableKey).substring(0, 10) + "_changes";
    }

    /** A short name derived from a table's key, for the index its row rule reads by. */
    public static String rowIndexName(String tableKey) {
        String base = tableKey.length() > 30 ? tableKey.substring(0, 30) : tableKey;
        return "ix_" + base + "_" + hash(tableKey).substring(0, 10) + "_rows";
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
