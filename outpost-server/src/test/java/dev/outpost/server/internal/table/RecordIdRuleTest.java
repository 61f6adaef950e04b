package dev.outpost.server.internal.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The id rule, checked by hand in {@link RecordParser#isValidId}, against the regex it stands for. */
class RecordIdRuleTest {
    private static final Pattern RULE = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.|:-]{0,126}");

    @Test
    void examplesAtTheEdges() {
        assertThat(RecordParser.isValidId("a")).isTrue();
        assertThat(RecordParser.isValidId("0190f3c2-7b1e-7c3a-9d2e-1a2b3c4d5e6f")).isTrue();
        assertThat(RecordParser.isValidId("A_b.c|d:e-f")).isTrue();
        assertThat(RecordParser.isValidId("x".repeat(127))).isTrue();
        assertThat(RecordParser.isValidId("x".repeat(128))).isFalse();
        assertThat(RecordParser.isValidId(null)).isFalse();
        assertThat(RecordParser.isValidId("")).isFalse();
        assertThat(RecordParser.isValidId("-a")).isFalse();
        assertThat(RecordParser.isValidId("_a")).isFalse();
        assertThat(RecordParser.isValidId("a b")).isFalse();
        assertThat(RecordParser.isValidId("a/b")).isFalse();
        assertThat(RecordParser.isValidId("é")).isFalse();
        assertThat(RecordParser.isValidId("a\u0000")).isFalse();
    }

    @Test
    void agreesWithTheRegexOnRandomStrings() {
        Random random = new Random(42);
        String alphabet = "aZ09_.|:-/ \u00e9\u0000'\"%";
        for (int n = 0; n < 100_000; n++) {
            StringBuilder id = new StringBuilder();
            int length = random.nextInt(5) == 0 ? 120 + random.nextInt(12) : random.nextInt(8);
            for (int i = 0; i < length; i++) {
                id.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = id.toString();
            assertThat(RecordParser.isValidId(text)).as("'%s'", text).isEqualTo(RULE.matcher(text).matches());
        }
    }
}
