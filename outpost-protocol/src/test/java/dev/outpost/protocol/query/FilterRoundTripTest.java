package dev.outpost.protocol.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.protocol.ProtocolVersion;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random syntax trees, written in a dialect and parsed back, give the same tree. {@code in} has no v2 spelling (the
 * v2 writer expands it to {@code or}), so v2 trees are drawn without it.
 */
class FilterRoundTripTest {
    private static final int DEPTH = 5;

    @Property(tries = 3000)
    void v3TextParsesBackToTheSameTree(@ForAll("v3Trees") Filter tree) {
        String text = FilterWriter.write(tree, ProtocolVersion.V3);
        assertThat(FilterParser.defaults().parseFilter(text)).as(text).isEqualTo(tree);
    }

    @Property(tries = 3000)
    void v2TextParsesBackToTheSameTree(@ForAll("v2Trees") Filter tree) {
        String text = FilterWriter.write(tree, ProtocolVersion.V2);
        assertThat(FilterParser.defaults().parseFilter(text)).as(text).isEqualTo(tree);
    }

    @Property(tries = 1000)
    void v2ExpansionOfInMeansTheSameOrChain(@ForAll("properties") Filter.Property property,
            @ForAll("literalLists") List<Filter> items) {
        Filter in = new Filter.In(property, items);
        Filter parsed = FilterParser.defaults().parseFilter(FilterWriter.write(in, ProtocolVersion.V2));
        Filter expected = null;
        for (Filter item : items) {
            Filter eq = new Filter.Comparison(ComparisonOperator.EQ, property, item);
            expected = expected == null ? eq : new Filter.Or(expected, eq);
        }
        assertThat(parsed).isEqualTo(expected);
    }

    @Property(tries = 1000)
    void orderByParsesBack(@ForAll("orderBys") List<OrderBy> keys) {
        assertThat(FilterParser.defaults().parseOrderBy(FilterWriter.writeOrderBy(keys))).isEqualTo(keys);
    }

    @Provide
    Arbitrary<Filter> v3Trees() {
        return tree(DEPTH, true);
    }

    @Provide
    Arbitrary<Filter> v2Trees() {
        return tree(DEPTH, false);
    }

    @Provide
    Arbitrary<Filter.Property> properties() {
        Arbitrary<String> segment = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(1)
                .flatMap(first -> Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
                        .withCharRange('0', '9').withChars('_').ofMaxLength(12).map(rest -> first + rest))
                .filter(name -> !FilterParser.isKeyword(name));
        return Arbitraries.oneOf(
                segment.map(Filter.Property::new),
                segment.list().ofMinSize(2).ofMaxSize(3).map(parts -> new Filter.Property(String.join("/", parts))));
    }

    @Provide
    Arbitrary<List<Filter>> literalLists() {
        return literals().list().ofMinSize(1).ofMaxSize(5);
    }

    @Provide
    Arbitrary<List<OrderBy>> orderBys() {
        return Combinators.combine(properties(), Arbitraries.of(true, false))
                .as((property, descending) -> new OrderBy(property.name(), descending))
                .list().ofMinSize(1).ofMaxSize(5);
    }

    private Arbitrary<Filter> tree(int depth, boolean withIn) {
        Arbitrary<Filter> leaf = Arbitraries.oneOf(literals(), properties().map(p -> p));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<Filter> sub = Arbitraries.lazy(() -> tree(depth - 1, withIn));
        Arbitrary<Filter> and = Combinators.combine(sub, sub).as(Filter.And::new);
        Arbitrary<Filter> or = Combinators.combine(sub, sub).as(Filter.Or::new);
        Arbitrary<Filter> not = sub.map(Filter.Not::new);
        Arbitrary<Filter> negate = sub.map(Filter.Negate::new);
        Arbitrary<Filter> comparison = Combinators.combine(Arbitraries.of(ComparisonOperator.class), sub, sub)
                .as(Filter.Comparison::new);
        Arbitrary<Filter> arithmetic = Combinators.combine(Arbitraries.of(ArithmeticOperator.class), sub, sub)
                .as(Filter.Arithmetic::new);
        Arbitrary<Filter> call = Arbitraries.of(Function.class).flatMap(function ->
                Arbitraries.integers().between(function.minArity(), function.maxArity()).flatMap(arity ->
                        sub.list().ofSize(arity).map(arguments -> new Filter.Call(function, arguments))));
        List<Arbitrary<Filter>> choices = new java.util.ArrayList<>(Arrays.asList(
                leaf, and, or, not, negate, comparison, arithmetic, call));
        if (withIn) {
            choices.add(Combinators.combine(sub, sub.list().ofMinSize(1).ofMaxSize(4)).as(Filter.In::new));
        }
        return Arbitraries.oneOf(choices);
    }

    private static Arbitrary<Filter> literals() {
        Arbitrary<Object> values = Arbitraries.oneOf(
                Arbitraries.just(null),
                Arbitraries.of(Boolean.TRUE, Boolean.FALSE),
                Arbitraries.longs(),
                Arbitraries.oneOf(Arbitraries.integers().between(-1000, 1000).map(i -> (long) i)),
                Combinators.combine(Arbitraries.bigIntegers().between(BigInteger.valueOf(-10).pow(30),
                                BigInteger.TEN.pow(30)), Arbitraries.integers().between(-40, 40))
                        .as(BigDecimal::new),
                Arbitraries.strings().ofMaxLength(20),
                Arbitraries.strings().withChars("'a \"%_\\/()").ofMaxLength(8),
                Arbitraries.longs().between(Instant.parse("0001-01-01T00:00:00Z").toEpochMilli(),
                        Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli()).map(Instant::ofEpochMilli));
        return values.map(Filter.Literal::of);
    }
}
