package dev.outpost.server.internal.rows;

import dev.outpost.server.internal.auth.AccessDeniedException;
import dev.outpost.server.internal.auth.Caller;
import dev.outpost.server.internal.sql.FilterTranslator;
import dev.outpost.server.internal.sql.SqlDialect;
import dev.outpost.server.internal.store.RowScope;
import dev.outpost.server.internal.table.Names;
import dev.outpost.server.internal.table.TableSchema;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The row rules of a server's tables (see {@link RowRule}): the declared tables' and the one of tables the dynamic
 * schema makes. A table without a rule shows every row; a table with one shows a signed-in caller their rows and
 * refuses anonymous callers. A caller's scope of a table is made once and remembered (callers come from the token
 * cache, so a client's requests find it with a map lookup). Thread-safe.
 */
public final class RowRules {
    private static final int CACHE_LIMIT = 10_000;

    /** A caller's scope of one version of a table's schema (a schema grown by a column is another). */
    private record Key(TableSchema schema, Caller caller) {
    }

    private final Map<Key, RowScope> scopes = new ConcurrentHashMap<>();
    private final Map<String, RowRule> declared;
    private final RowRule dynamic;
    private final FilterTranslator translator;
    private final String nothing;

    /**
     * @param declared the declared tables' rules, by table key (a table not named has none)
     * @param dynamic  the rule of dynamic tables, or {@code null} for none
     * @param dialect  the database's SQL dialect
     */
    public RowRules(Map<String, RowRule> declared, RowRule dynamic, SqlDialect dialect) {
        this.declared = Map.copyOf(declared);
        this.dynamic = dynamic;
        this.translator = new FilterTranslator(dialect);
        this.nothing = dialect.falseCondition();
    }

    /** No rules: every caller sees every row. */
    public static RowRules none(SqlDialect dialect) {
        return new RowRules(Map.of(), null, dialect);
    }

    /** The rule of {@code table}, or {@code null}. */
    public RowRule of(String table, boolean isDeclared) {
        return isDeclared ? declared.get(Names.key(table)) : dynamic;
    }

    /**
     * The rows of {@code schema} that {@code caller} may see and change.
     *
     * @throws AccessDeniedException (401) for an anonymous caller on a table with a rule
     */
    public RowScope scope(Caller caller, TableSchema schema) {
        RowRule rule = of(schema.name(), schema.declared());
        if (rule == null) {
            return RowScope.ALL;
        }
        requireSignedIn(caller, schema.name());
        Key key = new Key(schema, caller);
        RowScope scope = scopes.get(key);
        if (scope == null) {
            if (scopes.size() >= CACHE_LIMIT) {
                scopes.clear();
            }
            scope = rule.scope(caller, schema, translator, nothing);
            scopes.put(key, scope);
        }
        return scope;
    }

    /**
     * The values an insert into {@code table} by {@code caller} takes from the caller's claims, by column name.
     *
     * @param isDeclared whether the table is declared (else the dynamic schema's rule applies)
     * @throws AccessDeniedException (401) for an anonymous caller on a table with a rule
     */
    public Map<String, Object> stamps(Caller caller, String table, boolean isDeclared) {
        RowRule rule = of(table, isDeclared);
        if (rule == null) {
            return Map.of();
        }
        requireSignedIn(caller, table);
        return rule.stamps(caller);
    }

    private static void requireSignedIn(Caller caller, String table) {
        if (!caller.isAuthenticated()) {
            throw AccessDeniedException.signInRequired("the rows of table '" + table + "'");
        }
    }
}
