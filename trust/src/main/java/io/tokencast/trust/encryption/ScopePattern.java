package io.tokencast.trust.encryption;

/**
 * A pattern naming the record keys a scope covers: an exact token or credential key
 * ({@code wechat-access-token/wx0123456789abcdef}) or a prefix ending in {@code *}
 * ({@code wecom-access-token/ww42.*}, or {@code *} for every key). Where several match, the longest wins.
 */
public record ScopePattern(String pattern) implements Comparable<ScopePattern> {

    /** Longest accepted pattern: a record key is at most 200 characters, plus the star. */
    public static final int MAX_LENGTH = 201;

    public ScopePattern {
        if (pattern == null || pattern.isEmpty()) {
            throw new InvalidKeyringException("a scope pattern must not be empty; use * for every key");
        }
        if (pattern.length() > MAX_LENGTH) {
            throw new InvalidKeyringException(
                    "scope pattern is " + pattern.length() + " characters; the limit is " + MAX_LENGTH);
        }
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                throw new InvalidKeyringException("scope pattern '" + printable(pattern)
                        + "' contains whitespace or a control character at index " + i);
            }
            if (c == '*' && i != pattern.length() - 1) {
                throw new InvalidKeyringException("scope pattern '" + printable(pattern)
                        + "' has a * before its end; only a trailing * (a prefix) is supported");
            }
        }
    }

    /** Parses {@code text} as a pattern. */
    public static ScopePattern of(String text) {
        return new ScopePattern(text);
    }

    /** Whether this is a prefix pattern (ends in {@code *}). */
    public boolean isPrefix() {
        return pattern.endsWith("*");
    }

    /** Whether {@code key} falls in this scope. */
    public boolean matches(String key) {
        if (key == null) {
            return false;
        }
        return isPrefix() ? key.startsWith(pattern.substring(0, pattern.length() - 1)) : key.equals(pattern);
    }

    /**
     * How specific the pattern is: an exact key beats any prefix of the same length, a longer prefix beats a
     * shorter one. Higher wins.
     */
    int specificity() {
        return isPrefix() ? 2 * (pattern.length() - 1) : 2 * pattern.length() + 1;
    }

    /** Most specific first, then by text: the order scopes are tried in. */
    @Override
    public int compareTo(ScopePattern other) {
        int bySpecificity = Integer.compare(other.specificity(), specificity());
        return bySpecificity != 0 ? bySpecificity : pattern.compareTo(other.pattern);
    }

    @Override
    public String toString() {
        return pattern;
    }

    static String printable(String text) {
        String cut = text.length() > 60 ? text.substring(0, 60) + "…" : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
