package dev.outpost.server.internal.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Who may do what on one table, per operation: {@code anonymous}, {@code authenticated}, {@code disabled} (405, as
 * the official Node SDK answers) or {@code role:NAME} (403 without that role). Written in the tables file as one
 * rule for the whole table ({@code "access": "authenticated"}) or per operation
 * ({@code "access": {"read": "anonymous", "insert": "authenticated", "delete": "disabled"}}; an operation not named
 * is {@code anonymous}). Immutable.
 */
public final class TableAccess {
    /** What a request does to a table. */
    public enum Operation {
        READ, INSERT, UPDATE, DELETE, UNDELETE;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One rule. Immutable. */
    public record Rule(Kind kind, String role) {
        /** The kinds of rule. */
        public enum Kind { ANONYMOUS, AUTHENTICATED, DISABLED, ROLE }

        public static final Rule ANONYMOUS = new Rule(Kind.ANONYMOUS, null);
        public static final Rule AUTHENTICATED = new Rule(Kind.AUTHENTICATED, null);
        public static final Rule DISABLED = new Rule(Kind.DISABLED, null);

        /**
         * A rule as written: {@code anonymous}, {@code authenticated}, {@code disabled} or {@code role:NAME}.
         *
         * @throws IllegalArgumentException naming what is wrong
         */
        public static Rule parse(String text) {
            switch (text) {
                case "anonymous":
                    return ANONYMOUS;
                case "authenticated":
                    return AUTHENTICATED;
                case "disabled":
                    return DISABLED;
                default:
                    if (text.startsWith("role:") && text.substring(5).matches("[A-Za-z0-9_.:-]{1,64}")) {
                        return new Rule(Kind.ROLE, text.substring(5));
                    }
                    throw new IllegalArgumentException("'" + text + "' is not an access rule (expected anonymous,"
                            + " authenticated, disabled or role:NAME)");
            }
        }

        /** The rule as written: {@code anonymous}, {@code authenticated}, {@code disabled} or {@code role:NAME}. */
        public String text() {
            return kind == Kind.ROLE ? "role:" + role : kind.name().toLowerCase(Locale.ROOT);
        }

        /**
         * Checks that {@code caller} may do {@code what} under this rule.
         *
         * @throws AccessDeniedException if not
         */
        void check(Caller caller, String what) {
            switch (kind) {
                case DISABLED -> throw AccessDeniedException.disabled(what);
                case AUTHENTICATED -> {
                    if (!caller.isAuthenticated()) {
                        throw AccessDeniedException.signInRequired(what);
                    }
                }
                case ROLE -> {
                    if (!caller.isAuthenticated()) {
                        throw AccessDeniedException.signInRequired(what);
                    }
                    if (!caller.roles().contains(role)) {
                        throw AccessDeniedException.missingRole(what, role);
                    }
                }
                default -> {
                }
            }
        }
    }

    /** Everyone may do everything (a table without rules, on a server without identity). */
    public static final TableAccess OPEN = all(Rule.ANONYMOUS);

    private final Map<Operation, Rule> rules;

    private TableAccess(Map<Operation, Rule> rules) {
        this.rules = rules;
    }

    /** One rule for every operation. */
    public static TableAccess all(Rule rule) {
        Map<Operation, Rule> rules = new EnumMap<>(Operation.class);
        for (Operation operation : Operation.values()) {
            rules.put(operation, Objects.requireNonNull(rule, "rule"));
        }
        return new TableAccess(rules);
    }

    /**
     * The {@code access} of a table in a tables file ({@code null} or missing: everyone may do everything).
     *
     * @throws IllegalArgumentException naming what is wrong (the caller adds the file and the table)
     */
    public static TableAccess parse(JsonNode access) {
        if (access == null || access.isMissingNode() || access.isNull()) {
            return OPEN;
        }
        if (access.isTextual()) {
            return all(Rule.parse(access.asText()));
        }
        if (!access.isObject()) {
            throw new IllegalArgumentException("access must be a rule or an object of operation → rule");
        }
        Map<Operation, Rule> rules = new EnumMap<>(Operation.class);
        for (Operation operation : Operation.values()) {
            rules.put(operation, Rule.ANONYMOUS);
        }
        for (Map.Entry<String, JsonNode> entry : access.properties()) {
            Operation operation = null;
            for (Operation candidate : Operation.values()) {
                if (candidate.wireName().equals(entry.getKey())) {
                    operation = candidate;
                }
            }
            if (operation == null) {
                throw new IllegalArgumentException("access has unknown operation '" + entry.getKey()
                        + "' (expected read, insert, update, delete, undelete)");
            }
            if (!entry.getValue().isTextual()) {
                throw new IllegalArgumentException("access of " + entry.getKey() + " must be a rule such as"
                        + " \"authenticated\"");
            }
            rules.put(operation, Rule.parse(entry.getValue().asText()));
        }
        return new TableAccess(rules);
    }

    /** The rule for {@code operation}. */
    public Rule rule(Operation operation) {
        return rules.get(operation);
    }

    /**
     * Checks that {@code caller} may do {@code operation} on {@code table}.
     *
     * @throws AccessDeniedException if not
     */
    public void check(Caller caller, Operation operation, String table) {
        rules.get(operation).check(caller, operation.wireName() + " on table '" + table + "'");
    }
}
