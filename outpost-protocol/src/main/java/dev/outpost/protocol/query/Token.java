package dev.outpost.protocol.query;

/**
 * One lexical token of a {@code $filter} or {@code $orderby} text.
 *
 * @param kind     what the token is
 * @param text     the token's text: the identifier, the decoded string, the number as written (without suffix),
 *                 or for {@link Kind#TYPED_STRING} the decoded quoted part
 * @param prefix   for {@link Kind#TYPED_STRING}, the type name before the quote ({@code datetimeoffset}); else null
 * @param position zero-based offset of the token's first character
 * @param end      offset just past the token's last character
 */
record Token(Kind kind, String text, String prefix, int position, int end) {

    /** Token kinds. */
    public enum Kind {
        IDENTIFIER, STRING, TYPED_STRING, NUMBER, LEFT_PAREN, RIGHT_PAREN, COMMA, SLASH, MINUS, END
    }

    /** Whether this token is the identifier {@code word} exactly. */
    public boolean isWord(String word) {
        return kind == Kind.IDENTIFIER && text.equals(word);
    }

    /** A short description for error messages: {@code 'eq'}, {@code end of input}. */
    public String describe() {
        return switch (kind) {
            case END -> "end of input";
            case STRING -> "string '" + text + "'";
            case TYPED_STRING -> prefix + "'" + text + "'";
            case LEFT_PAREN -> "'('";
            case RIGHT_PAREN -> "')'";
            case COMMA -> "','";
            case SLASH -> "'/'";
            case MINUS -> "'-'";
            default -> "'" + text + "'";
        };
    }
}
