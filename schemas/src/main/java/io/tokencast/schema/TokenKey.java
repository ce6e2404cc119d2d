package io.tokencast.schema;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/**
 * The name of one credential, {@code <kind>/<account>}: the Kafka record key and the suffix of its Redis
 * keys, e.g. {@code wechat-access-token/wx0123456789abcdef}.
 */
public record TokenKey(TokenKind kind, String account) implements Comparable<TokenKey> {

    /** Longest accepted key, {@code kind/account} together. */
    public static final int MAX_LENGTH = Ranges.MAX_KEY_CHARS;

    // A key is a string on the wire; without this, Jackson would also bind {"kind":…,"account":…} objects.
    @JsonCreator(mode = JsonCreator.Mode.DISABLED)
    public TokenKey {
        Objects.requireNonNull(kind, "kind");
        if (account == null || account.isBlank()) {
            throw new InvalidTokenKeyException("token key of kind " + kind + " has a blank account");
        }
        if (hasSpaceOrControl(account)) {
            throw new InvalidTokenKeyException(
                    "token key '" + kind + "/" + account.strip() + "' has whitespace in its account");
        }
        if (account.indexOf('/') >= 0) {
            throw new InvalidTokenKeyException("token key '" + kind + "/" + account + "' has a '/' in its account");
        }
        int length = kind.id().length() + 1 + account.length();
        if (length > MAX_LENGTH) {
            throw new InvalidTokenKeyException(
                    "token key of kind " + kind + " is " + length + " chars long; the limit is " + MAX_LENGTH);
        }
    }

    // isSpaceChar too: isWhitespace misses the no-break spaces that pasting from a web console brings in.
    // A loop, not a stream: every decoded event checks its key, and the stream cost more than the check.
    private static boolean hasSpaceOrControl(String account) {
        for (int i = 0; i < account.length(); i++) {
            char c = account.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)) {
                return true;
            }
        }
        return false;
    }

    public static TokenKey of(TokenKind kind, String account) {
        return new TokenKey(kind, account);
    }

    /**
     * Parses {@code <kind>/<account>}.
     *
     * @throws InvalidTokenKeyException saying what is wrong: no slash, unknown kind, bad account, too long
     */
    @JsonCreator
    public static TokenKey parse(String text) {
        if (text == null) {
            throw new InvalidTokenKeyException("token key is missing");
        }
        if (text.length() > MAX_LENGTH) {
            throw new InvalidTokenKeyException(
                    "token key is " + text.length() + " chars long; the limit is " + MAX_LENGTH);
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new InvalidTokenKeyException(
                    "token key '" + text + "' is not of the form <kind>/<account>, e.g. wechat-access-token/wx0123");
        }
        return new TokenKey(TokenKind.fromId(text.substring(0, slash)), text.substring(slash + 1));
    }

    /** The contract form, {@code <kind>/<account>}. */
    @JsonValue
    public String asString() {
        return kind.id() + "/" + account;
    }

    @Override
    public int compareTo(TokenKey other) {
        return asString().compareTo(other.asString());
    }

    @Override
    public String toString() {
        return asString();
    }
}
