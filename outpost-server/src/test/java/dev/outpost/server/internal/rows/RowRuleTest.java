package dev.outpost.server.internal.rows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.server.internal.auth.Caller;
import dev.outpost.server.internal.sql.FilterTranslator;
import dev.outpost.server.internal.sql.SqlDialect;
import dev.outpost.server.internal.store.RowScope;
import dev.outpost.server.internal.table.Column;
import dev.outpost.server.internal.table.ColumnType;
import dev.outpost.server.internal.table.Names;
import dev.outpost.server.internal.table.TableSchema;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Row rules as written: where {@code $user.…} may stand, what an insert takes from the claims, which columns are
 * pinned, when a written record must be checked, and how claims become SQL parameters (never SQL text).
 */
class RowRuleTest {
    private static final SqlDialect DIALECT = SqlDialect.forUrl("jdbc:sqlite:rules.db");
    private static final FilterTranslator TRANSLATOR = new FilterTranslator(DIALECT);
    private static final TableSchema PROJECT = new TableSchema("project", true, true, List.of(
            column("name", ColumnType.STRING), column("teamId", ColumnType.STRING),
            column("level", ColumnType.INTEGER), column("userId", ColumnType.STRING)));

    private static Column column(String name, ColumnType type) {
        return new Column(name, Names.sqlName(name), type, true);
    }

    private static Caller caller(String id, Map<String, Object> claims) {
        return new Caller(id, Set.of(), claims);
    }

    private static RowScope scope(String rule, Caller caller) {
        return RowRule.parse(rule).scope(caller, PROJECT, TRANSLATOR, DIALECT.falseCondition());
    }

    @Test
    void aPerUserRuleStampsTheOwnerPinsItAndNeedsNoCheck() {
        RowRule rule = RowRule.perUser("userId");
        assertThat(rule.stamps(caller("alice", Map.of()))).containsExactly(Map.entry("userId", "alice"));
        RowScope scope = rule.scope(caller("alice", Map.of()), PROJECT, TRANSLATOR, DIALECT.falseCondition());
        assertThat(scope.pinned()).containsExactly("userid");
        assertThat(scope.checkInserts()).isFalse();
        assertThat(scope.checkUpdates()).isFalse();
        assertThat(scope.view().params()).containsExactly("alice");
    }

    @Test
    void claimsAreBoundAsParametersNeverAsSql() {
        RowScope scope = scope("userId eq $user.id", caller("x' OR '1'='1", Map.of()));
        assertThat(scope.view().sql()).doesNotContain("OR '1'");
        assertThat(scope.view().params()).containsExactly("x' OR '1'='1");
    }

    @Test
    void anArrayClaimIsAnyOfItsValuesAndAnInsertUnderItIsChecked() {
        RowScope scope = scope("teamId in $user.teams", caller("carol", Map.of("teams", List.of("red", "blue"))));
        assertThat(scope.view().params()).containsExactly("red", "blue");
        assertThat(scope.checkInserts()).as("the team is not stamped from an array").isTrue();
        assertThat(scope.checkUpdates()).as("the team is pinned").isFalse();
        // Written with parentheses, the same.
        assertThat(scope("teamId in ($user.teams)", caller("carol", Map.of("teams", List.of("red", "blue"))))
                .view().params()).containsExactly("red", "blue");
        // A single-valued claim is stamped.
        assertThat(RowRule.parse("teamId in $user.teams").stamps(caller("erin", Map.of("teams", "green"))))
                .containsExactly(Map.entry("teamId", "green"));
    }

    @Test
    void anEmptyArrayOrAMissingOrUnfittingClaimShowsNothing() {
        String nothing = DIALECT.falseCondition();
        assertThat(scope("teamId in $user.teams", caller("dave", Map.of("teams", List.of()))).view().sql())
                .doesNotContain("teamId").doesNotContain("\"team_id\"");
        assertThat(scope("teamId eq $user.team", caller("dave", Map.of())).view().sql()).isEqualTo(nothing);
        assertThat(scope("level le $user.level", caller("dave", Map.of("level", "high"))).view().sql())
                .isEqualTo(nothing);
        assertThat(scope("level le $user.level", caller("dave", Map.of("level", "3"))).view().params())
                .containsExactly(3L);
    }

    @Test
    void termsBeyondClaimsMakeWritesChecked() {
        RowScope scope = scope("teamId eq $user.team and name ne 'secret'", caller("a", Map.of("team", "red")));
        assertThat(scope.checkInserts()).isTrue();
        assertThat(scope.checkUpdates()).isTrue();
        assertThat(scope.pinned()).containsExactly("teamid");
        assertThat(RowRule.parse("teamId eq $user.team or name eq 'public'").stamps(caller("a",
                Map.of("team", "red")))).as("only top-level and-terms stamp").isEmpty();
    }

    @Test
    void aStringLiteralThatLooksLikeAClaimIsJustText() {
        RowScope scope = scope("userId eq $user.id and name ne '$user.id'", caller("alice", Map.of()));
        assertThat(scope.view().params()).containsExactly("alice", "$user.id");
    }

    @Test
    void claimsStandOnlyWhereAColumnIsComparedWithThem() {
        for (String bad : List.of("$user.a eq $user.b", "startswith(name, $user.id)", "level add $user.x gt 1",
                "'x' eq $user.id", "$user.teams in (teamId)")) {
            assertThatThrownBy(() -> RowRule.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("uses $user");
        }
        assertThatThrownBy(() -> RowRule.parse("name eq 'x'")).hasMessageContaining("does not use the caller");
        assertThatThrownBy(() -> RowRule.parse("name eq $env.HOME")).hasMessageContaining("the only variables");
        assertThatThrownBy(() -> RowRule.parse("name eq outpost_user__id")).hasMessageContaining("reserved");
        assertThatThrownBy(() -> RowRule.parse(" ")).hasMessageContaining("empty");
    }

    @Test
    void theStartUpCheckNamesUnknownColumnsAndTypeErrors() {
        assertThatThrownBy(() -> RowRule.parse("tenantId eq $user.tenant").check(PROJECT, TRANSLATOR))
                .hasMessageContaining("names column 'tenantId'");
        assertThatThrownBy(() -> RowRule.parse("teamId eq $user.team and level eq 'high'").check(PROJECT,
                TRANSLATOR)).isInstanceOf(IllegalArgumentException.class);
        RowRule.parse("level le $user.level and teamId in $user.teams").check(PROJECT, TRANSLATOR);
    }
}
