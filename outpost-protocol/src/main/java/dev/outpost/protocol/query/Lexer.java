package dev.outpost.protocol.query;


/**
 * Splits {@code $filter} / {@code $orderby} text into {@link Token}s on demand. Not thread-safe; one per parse.
 */
final class Lexer {
    private final String parameter;
    private final String input;
    private int pos;
    private Token peeked;

    public Lexer(String parameter, String input) {
        this.parameter = parameter;
        this.input = input;
    }

    /** The text being read. */
    public String input() {
        return input;
    }

    /** The next token without consuming it. */
    public Token peek() {
        if (peeked == null) {
            peeked = scan();
        }
        return peeked;
    }

    /** Consumes and returns the next token. */
    public Token next() {
        Token token = peek();
        peeked = null;
        return token;
    }

    /**
     * Reads raw text up to (not including) the next top-level comma, for the unquoted first argument of
     * {@code cast(2024-05-01T10:00:00Z,Edm.DateTimeOffset)}. Returns the trimmed text; {@link #position()} is
     * left at the comma.
     */
    public String rawUntilComma() {
        if (peeked != null) {
            pos = peeked.position();
            peeked = null;
        }
        int start = pos;
        while (pos < input.length() && input.charAt(pos) != ',' && input.charAt(pos) != ')') {
            pos++;
        }
        return input.substring(start, pos).trim();
    }

    /** Offset of the next unread character (or of the peeked token). */
    public int position() {
        return peeked != null ? peeked.position() : pos;
    }

    /** An error at {@code position} in this input. */
    public InvalidQueryException error(int position, String message) {
        return new InvalidQueryException(parameter, input, position, message + " at position " + position
                + " of " + parameter);
    }

    private Token scan() {
        skipWhitespace();
        if (pos >= input.length()) {
            return new Token(Token.Kind.END, "", null, pos, pos);
        }
        int start = pos;
        char c = input.charAt(pos);
        switch (c) {
            case '(':
                pos++;
                return new Token(Token.Kind.LEFT_PAREN, "(", null, start, pos);
            case ')':
                pos++;
                return new Token(Token.Kind.RIGHT_PAREN, ")", null, start, pos);
            case ',':
                pos++;
                return new Token(Token.Kind.COMMA, ",", null, start, pos);
            case '/':
                pos++;
                return new Token(Token.Kind.SLASH, "/", null, start, pos);
            case '-':
                pos++;
                return new Token(Token.Kind.MINUS, "-", null, start, pos);
            case '\'':
                return new Token(Token.Kind.STRING, readString(), null, start, pos);
            default:
                break;
        }
        if (isDigit(c)) {
            return readNumber(start);
        }
        if (isIdentifierStart(c)) {
            while (pos < input.length() && isIdentifierPart(input.charAt(pos))) {
                pos++;
            }
            String word = input.substring(start, pos);
            if (pos < input.length() && input.charAt(pos) == '\'') {
                String text = readString();
                return new Token(Token.Kind.TYPED_STRING, text, word, start, pos);
            }
            return new Token(Token.Kind.IDENTIFIER, word, null, start, pos);
        }
        throw error(start, "unexpected character '" + printable(c) + "'");
    }

    private String readString() {
        int start = pos;
        pos++; // opening quote
        StringBuilder text = new StringBuilder();
        while (true) {
            if (pos >= input.length()) {
                throw error(start, "unterminated string literal");
            }
            char c = input.charAt(pos++);
            if (c == '\'') {
                if (pos < input.length() && input.charAt(pos) == '\'') {
                    text.append('\'');
                    pos++;
                } else {
                    return text.toString();
                }
            } else {
                text.append(c);
            }
        }
    }

    private Token readNumber(int start) {
        while (pos < input.length() && isDigit(input.charAt(pos))) {
            pos++;
        }
        if (pos + 1 < input.length() && input.charAt(pos) == '.' && isDigit(input.charAt(pos + 1))) {
            pos++;
            while (pos < input.length() && isDigit(input.charAt(pos))) {
                pos++;
            }
        }
        if (pos < input.length() && (input.charAt(pos) == 'e' || input.charAt(pos) == 'E')) {
            int mark = pos;
            pos++;
            if (pos < input.length() && (input.charAt(pos) == '+' || input.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < input.length() && isDigit(input.charAt(pos))) {
                while (pos < input.length() && isDigit(input.charAt(pos))) {
                    pos++;
                }
            } else {
                pos = mark;
            }
        }
        String number = input.substring(start, pos);
        String suffix = null;
        if (pos < input.length() && "LlMmDdFf".indexOf(input.charAt(pos)) >= 0
                && (pos + 1 >= input.length() || !isIdentifierPart(input.charAt(pos + 1)))) {
            suffix = String.valueOf(input.charAt(pos));
            pos++;
        }
        if (pos < input.length() && isIdentifierPart(input.charAt(pos))) {
            throw error(pos, "unexpected character '" + printable(input.charAt(pos)) + "' in number");
        }
        return new Token(Token.Kind.NUMBER, number, suffix, start, pos);
    }

    private void skipWhitespace() {
        while (pos < input.length() && Character.isWhitespace(input.charAt(pos))) {
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
    }

    private static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || isDigit(c) || c == '.';
    }

    private static String printable(char c) {
        return c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }
}
