package dev.outpost.protocol.query;

/** The OData arithmetic operators. */
public enum ArithmeticOperator {
    ADD("add"), SUB("sub"), MUL("mul"), DIV("div"), MOD("mod");

    private final String odata;

    ArithmeticOperator(String odata) {
        this.odata = odata;
    }

    /** The operator as written in {@code $filter}. */
    public String odata() {
        return odata;
    }

    /** Whether this operator binds like multiplication (tighter than {@code add}/{@code sub}). */
    public boolean isMultiplicative() {
        return this == MUL || this == DIV || this == MOD;
    }

    static ArithmeticOperator fromKeyword(String keyword) {
        for (ArithmeticOperator op : values()) {
            if (op.odata.equals(keyword)) {
                return op;
            }
        }
        return null;
    }
}
