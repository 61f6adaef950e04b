package dev.outpost.protocol.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.protocol.query.Filter.And;
import dev.outpost.protocol.query.Filter.Arithmetic;
import dev.outpost.protocol.query.Filter.Call;
import dev.outpost.protocol.query.Filter.Comparison;
import dev.outpost.protocol.query.Filter.Literal;
import dev.outpost.protocol.query.Filter.Not;
import dev.outpost.protocol.query.Filter.Or;
import dev.outpost.protocol.query.Filter.Property;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FilterParserTest {
    private final FilterParser parser = FilterParser.defaults();

    private static Property p(String name) {
        return new Property(name);
    }

    private static Literal lit(Object value) {
        return Literal.of(value);
    }

    @Test
    void comparisonOfPropertyAndLiteral() {
        assertThat(parser.parseFilter("complete eq true"))
                .isEqualTo(new Comparison(ComparisonOperator.EQ, p("complete"), lit(true)));
    }

    @Test
    void andBindsTighterThanOr() {
        Filter parsed = parser.parseFilter("a eq 1 or b eq 2 and c eq 3");
        assertThat(parsed).isEqualTo(new Or(
                new Comparison(ComparisonOperator.EQ, p("a"), lit(1L)),
                new And(new Comparison(ComparisonOperator.EQ, p("b"), lit(2L)),
                        new Comparison(ComparisonOperator.EQ, p("c"), lit(3L)))));
    }

    @Test
    void multiplicationBindsTighterThanAdditionAndComparison() {
        Filter parsed = parser.parseFilter("year add 10 mul 2 le 2000");
        assertThat(parsed).isEqualTo(new Comparison(ComparisonOperator.LE,
                new Arithmetic(ArithmeticOperator.ADD, p("year"),
                        new Arithmetic(ArithmeticOperator.MUL, lit(10L), lit(2L))),
                lit(2000L)));
    }

    @Test
    void arithmeticIsLeftAssociative() {
        assertThat(parser.parseFilter("a sub b sub c eq 0")).isEqualTo(new Comparison(ComparisonOperator.EQ,
                new Arithmetic(ArithmeticOperator.SUB, new Arithmetic(ArithmeticOperator.SUB, p("a"), p("b")), p("c")),
                lit(0L)));
    }

    @Test
    void substringofSwapsIntoContains() {
        assertThat(parser.parseFilter("substringof('dog', text)"))
                .isEqualTo(new Call(Function.CONTAINS, List.of(p("text"), lit("dog"))));
        assertThat(parser.parseFilter("contains(text,'dog')"))
                .isEqualTo(new Call(Function.CONTAINS, List.of(p("text"), lit("dog"))));
    }

    @Test
    void functionNamedLikeAColumnIsACallOnlyWithParentheses() {
        assertThat(parser.parseFilter("year(releaseDate) eq year"))
                .isEqualTo(new Comparison(ComparisonOperator.EQ,
                        new Call(Function.YEAR, List.of(p("releaseDate"))), p("year")));
    }

    @Test
    void allTimestampLiteralFormsMeanTheSameInstant() {
        Instant expected = Instant.parse("2026-11-23T06:41:44.942Z");
        for (String text : List.of("datetimeoffset'2026-11-23T06:41:44.942Z'",
                "datetimeoffset'2026-11-23T06:41:44.9420000+00:00'",
                "datetimeoffset'2026-11-23T08:41:44.942+02:00'",
                "datetime'2026-11-23T06:41:44.942Z'",
                "cast(2026-11-23T06:41:44.942Z,Edm.DateTimeOffset)",
                "(datetimeoffset'2026-11-23T06:41:44.942Z')")) {
            Filter parsed = parser.parseFilter("updatedAt ge " + text);
            assertThat(parsed).as(text)
                    .isEqualTo(new Comparison(ComparisonOperator.GE, p("updatedAt"), lit(expected)));
        }
    }

    @Test
    void edmDateIsMidnightUtc() {
        assertThat(parser.parseFilter("releaseDate eq cast(1994-10-14,Edm.Date)"))
                .isEqualTo(new Comparison(ComparisonOperator.EQ, p("releaseDate"),
                        lit(Instant.parse("1994-10-14T00:00:00Z"))));
    }

    @Test
    void numbersKeepTheirKind() {
        assertThat(parser.parseFilter("a eq 5")).isEqualTo(eq("a", lit(5L)));
        assertThat(parser.parseFilter("a eq 5L")).isEqualTo(eq("a", lit(5L)));
        assertThat(parser.parseFilter("a eq -5")).isEqualTo(eq("a", lit(-5L)));
        assertThat(parser.parseFilter("a eq 1000.5")).isEqualTo(eq("a", lit(new BigDecimal("1000.5"))));
        assertThat(parser.parseFilter("a eq 60.0")).isEqualTo(eq("a", lit(new BigDecimal("60"))));
        assertThat(parser.parseFilter("a eq 1.5m")).isEqualTo(eq("a", lit(new BigDecimal("1.5"))));
        assertThat(parser.parseFilter("a eq 2.5e3")).isEqualTo(eq("a", lit(new BigDecimal("2500"))));
        assertThat(parser.parseFilter("a eq 99999999999999999999"))
                .isEqualTo(eq("a", lit(new BigDecimal("99999999999999999999"))));
    }

    @Test
    void quotesInStringsAreDoubled() {
        assertThat(parser.parseFilter("title eq 'Schindler''s List'"))
                .isEqualTo(eq("title", lit("Schindler's List")));
    }

    @Test
    void notAppliesToItsOperand() {
        assertThat(parser.parseFilter("not(bestPictureWinner eq false)"))
                .isEqualTo(new Not(eq("bestPictureWinner", lit(false))));
    }

    @Test
    void inListIsParsed() {
        assertThat(parser.parseFilter("rating in ('G', 'PG')"))
                .isEqualTo(new Filter.In(p("rating"), List.of(lit("G"), lit("PG"))));
    }

    @Test
    void guidLiteralIsACanonicalString() {
        assertThat(parser.parseFilter("id eq guid'0693D160-3E09-4986-9BC5-02FE1E51E9AE'"))
                .isEqualTo(eq("id", lit("0693d160-3e09-4986-9bc5-02fe1e51e9ae")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "complete eq                      | 11 | expected an expression but found end of input",
        "(year - 1900) ge 100             | 6  | expected ')' but found '-'",
        "nosuchfn(text) eq 'a'            | 0  | unknown function 'nosuchfn'",
        "text eq 'open                    | 8  | unterminated string literal",
        "a eq 1 b                         | 7  | expected an operator or end of input",
        "updatedAt ge datetimeoffset'x'   | 13 | invalid timestamp 'x'",
        "startswith(text)                 | 0  | startswith takes 2 argument(s), not 1",
        "a eq #                           | 5  | unexpected character '#'",
        "a eq 1.5L                        | 5  | 'L' suffix on a number that is not an integer",
        "cast(2024-01-01,Edm.Int32) eq a  | 16 | unsupported cast type 'Edm.Int32'",
    })
    void errorsNameThePositionAndWhatWasExpected(String text, int position, String message) {
        assertThatThrownBy(() -> parser.parseFilter(text.strip()))
                .isInstanceOfSatisfying(InvalidQueryException.class, e -> {
                    assertThat(e.position()).isEqualTo(position);
                    assertThat(e.getMessage()).contains(message).contains("position " + position);
                    assertThat(e.parameter()).isEqualTo("$filter");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void emptyFilterIsRefused(String text) {
        assertThatThrownBy(() -> parser.parseFilter(text)).isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("empty $filter");
    }

    @Test
    void tooLongFilterIsRefusedBeforeParsing() {
        String text = "a eq '" + "x".repeat(9000) + "'";
        assertThatThrownBy(() -> parser.parseFilter(text)).isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("too long");
    }

    @Test
    void deeplyNestedFilterIsRefused() {
        String text = "(".repeat(200) + "a eq 1" + ")".repeat(200);
        assertThatThrownBy(() -> parser.parseFilter(text)).isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("nested too deeply");
        String nots = "not ".repeat(200) + "a";
        assertThatThrownBy(() -> parser.parseFilter(nots)).isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("nested too deeply");
    }

    @Test
    void filterWithTooManyNodesIsRefused() {
        StringBuilder text = new StringBuilder("a eq 0");
        for (int i = 1; i < 600; i++) {
            text.append(" or a eq ").append(i);
        }
        assertThatThrownBy(() -> parser.parseFilter(text.toString())).isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("too complex");
    }

    @Test
    void orderByReadsDirectionsAndPaths() {
        assertThat(parser.parseOrderBy("updatedAt asc,id, text desc"))
                .containsExactly(OrderBy.asc("updatedAt"), OrderBy.asc("id"), OrderBy.desc("text"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"duration fizz", "a,,b", "a desc desc", "'x'", ",a", "a,"})
    void malformedOrderByIsRefused(String text) {
        assertThatThrownBy(() -> parser.parseOrderBy(text)).isInstanceOf(InvalidQueryException.class);
    }

    @Test
    void selectReadsACommaList() {
        assertThat(parser.parseSelect("id, text,complete")).containsExactly("id", "text", "complete");
    }

    @ParameterizedTest
    @ValueSource(strings = {"year rating", "a,,b", "a;b", "*x"})
    void malformedSelectIsRefused(String text) {
        assertThatThrownBy(() -> parser.parseSelect(text)).isInstanceOf(InvalidQueryException.class);
    }

    private static Comparison eq(String property, Literal literal) {
        return new Comparison(ComparisonOperator.EQ, p(property), literal);
    }
}
