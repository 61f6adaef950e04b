package dev.outpost.server.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.protocol.query.FilterParser;
import dev.outpost.server.internal.table.Column;
import dev.outpost.server.internal.table.ColumnType;
import dev.outpost.server.internal.table.TableSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * Golden files of {@code $filter} → SQL per dialect ({@code src/test/resources/golden/filter-*.txt}). On a mismatch
 * the actual output is written next to the golden file as {@code *.actual.txt} and the test fails: review the
 * difference and replace the golden file by hand; it is never updated silently.
 */
class FilterTranslatorGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final TableSchema MOVIES = new TableSchema("movies", true, true, List.of(
            new Column("title", "title", ColumnType.STRING, false),
            new Column("rating", "rating", ColumnType.STRING, false),
            new Column("year", "year", ColumnType.INTEGER, false),
            new Column("score", "score", ColumnType.NUMBER, false),
            new Column("released", "released", ColumnType.DATE, false),
            new Column("winner", "winner", ColumnType.BOOLEAN, false)));
    private static final List<String> FILTERS = List.of(
            "rating eq 'PG-13'",
            "rating ne 'PG-13'",
            "rating eq null",
            "id eq 'a'",
            "year gt 1990 and winner",
            "not (year le 2000) or title lt 'M'",
            "rating eq title",
            "startswith(title, 'The')",
            "endswith(title, 'x')",
            "contains(title, '%_')",
            "indexof(title, 'a') ge 0",
            "substring(title, 1, 3) eq 'abc'",
            "tolower(title) eq 'x' and toupper(rating) eq 'R'",
            "trim(title) eq 'x' and length(title) gt 3",
            "concat(title, rating) eq 'x' and replace(title, 'a', 'b') eq 'y'",
            "year(released) eq 2000 and second(released) eq 1",
            "round(score) eq 3 and floor(score) eq 2 and ceiling(score) eq 3",
            "year div 2 eq 1000 and year mod 7 eq 1 and score div 2 gt 1 and score mod 2 lt 1",
            "updatedAt ge datetimeoffset'2026-01-01T00:00:00.000Z'",
            "released eq '2000-01-01T00:00:00.000Z'",
            "title gt cast(2000-01-01T00:00:00.000Z,Edm.DateTimeOffset)",
            "rating in ('R', 'G', null)");

    private static String render(SqlDialect dialect) {
        FilterTranslator translator = new FilterTranslator(dialect);
        StringBuilder out = new StringBuilder();
        for (String filter : FILTERS) {
            SqlFragment sql = translator.translate(FilterParser.defaults().parseFilter(filter), MOVIES, filter);
            out.append("$filter=").append(filter).append('\n')
                    .append("  ").append(sql.sql()).append('\n')
                    .append("  ").append(sql.params()).append("\n\n");
        }
        return out.toString();
    }

    private static void check(SqlDialect dialect) throws IOException {
        String actual = render(dialect);
        Path golden = GOLDEN.resolve("filter-" + dialect.name() + ".txt");
        Path actualFile = GOLDEN.resolve("filter-" + dialect.name() + ".actual.txt");
        String expected = Files.exists(golden) ? Files.readString(golden) : null;
        if (!Objects.equals(expected, actual)) {
            Files.writeString(actualFile, actual);
        } else {
            Files.deleteIfExists(actualFile);
        }
        assertThat(actual).as("SQL differs from %s; the actual output is in %s", golden, actualFile)
                .isEqualTo(expected);
    }

    @Test
    void sqliteTranslationMatchesTheGoldenFile() throws IOException {
        check(new SqliteDialect());
    }

    @Test
    void postgresTranslationMatchesTheGoldenFile() throws IOException {
        check(new PostgresDialect());
    }
}
