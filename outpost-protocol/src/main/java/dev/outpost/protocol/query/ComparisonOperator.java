package dev.outpost.protocol.query;

/** The OData comparison operators. */
public enum ComparisonOperator {
    EQ("eq"), NE("ne"), GT("gt"), GE("ge"), LT("lt"), LE("le");

    private final String odata;

    ComparisonOperator(String odata) {
        this.odata = odata;
    }

    /** The operator as written in {@code $filter}. */
    public String odata() {
        return odata;
    }

    static ComparisonOperator fromKeyword(String keyword) {
        for (ComparisonOperator op : values()) {
            if (op.odata.equals(keyword)) {
                return op;
            }
        }
        return null;
    }
}
