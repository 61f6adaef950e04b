package dev.outpost.protocol.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.protocol.ProtocolVersion;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class QueryTest {

    @Test
    void parametersFollowTheDialect() {
        Query query = Query.builder()
                .filter(FilterParser.defaults().parseFilter("updatedAt ge datetimeoffset'2026-11-23T06:41:44.942Z'"
                        + " and substringof('milk', text)"))
                .orderBy(OrderBy.asc("updatedAt"))
                .skip(0).top(50).includeDeleted(true).includeTotalCount(true)
                .build();
        assertThat(query.toParameters(ProtocolVersion.V2)).containsExactly(
                java.util.Map.entry("$filter", "((updatedAt ge datetimeoffset'2026-11-23T06:41:44.942Z') and "
                        + "substringof('milk',text))"),
                java.util.Map.entry("$orderby", "updatedAt"),
                java.util.Map.entry("$skip", "0"),
                java.util.Map.entry("$top", "50"),
                java.util.Map.entry("$inlinecount", "allpages"),
                java.util.Map.entry("__includeDeleted", "true"));
        assertThat(query.toParameters(ProtocolVersion.V3).get("$filter")).isEqualTo(
                "((updatedAt ge cast(2026-11-23T06:41:44.942Z,Edm.DateTimeOffset)) and contains(text,'milk'))");
        assertThat(query.toParameters(ProtocolVersion.V3).get("$count")).isEqualTo("true");
    }

    @Test
    void newBuilderDerivesWithoutChangingTheOriginal() {
        Query base = Query.builder().top(10).select("id", "text").build();
        Query derived = base.newBuilder().skip(10).and(new Filter.Comparison(ComparisonOperator.EQ,
                new Filter.Property("complete"), Filter.Literal.of(false))).build();
        assertThat(base.skip()).isNull();
        assertThat(base.filter()).isNull();
        assertThat(derived.skip()).isEqualTo(10);
        assertThat(derived.select()).containsExactly("id", "text");
        assertThat(derived).isNotEqualTo(base);
        assertThat(base.newBuilder().build()).isEqualTo(base);
    }

    @Test
    void builderRefusesNegativePagingAndReservedParameters() {
        assertThatThrownBy(() -> Query.builder().top(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Query.builder().skip(-5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Query.builder().parameter("$expand", "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Query.builder().parameter("__x", "y")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void literalWriterSpellsEachTypeForEachDialect() {
        Instant t = Instant.parse("2026-11-23T06:41:44.942Z");
        assertThat(FilterWriter.literal(t, ProtocolVersion.V2)).isEqualTo("datetimeoffset'2026-11-23T06:41:44.942Z'");
        assertThat(FilterWriter.literal(t, ProtocolVersion.V3)).isEqualTo("cast(2026-11-23T06:41:44.942Z,Edm.DateTimeOffset)");
        assertThat(FilterWriter.literal("it's", ProtocolVersion.V3)).isEqualTo("'it''s'");
        assertThat(FilterWriter.literal(new java.math.BigDecimal("60.00"), ProtocolVersion.V3)).isEqualTo("60.0");
        assertThat(FilterWriter.literal(-5L, ProtocolVersion.V2)).isEqualTo("-5");
        assertThat(FilterWriter.literal(null, ProtocolVersion.V2)).isEqualTo("null");
    }
}
