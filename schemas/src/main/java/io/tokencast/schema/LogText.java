package io.tokencast.schema;

/**
 * Text from outside (a record key, a name, a Redis value) made safe for one log line: control characters
 * escaped ({@code \r}, {@code \n}, {@code \t}, {@code \}{@code uXXXX}), quotes and backslashes escaped, cut to a
 * length. A forged value can then neither start a fake log line nor flood the log. Never use it on secrets:
 * those are not logged at all, only their fingerprints.
 */
public final class LogText {

    /** The cut used where a caller has no better bound. */
    public static final int DEFAULT_MAX = 200;

    private LogText() {}

    /** {@code text} escaped and cut to {@code max} chars (before escaping); "null" for null. */
    public static String of(String text, int max) {
        if (text == null) {
            return "null";
        }
        int cut = Math.min(text.length(), Math.max(0, max));
        StringBuilder out = new StringBuilder(cut + 16);
        for (int i = 0; i < cut; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (cut < text.length()) {
            out.append("…(").append(text.length()).append(" chars)");
        }
        return out.toString();
    }

    /** {@link #of(String, int)} with {@link #DEFAULT_MAX}. */
    public static String of(String text) {
        return of(text, DEFAULT_MAX);
    }
}
