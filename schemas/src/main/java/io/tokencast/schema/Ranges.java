package io.tokencast.schema;

import java.time.Duration;
import java.time.Instant;

/**
 * The ranges every tokencast record must respect (docs/design.md §5.1): the one place the events' compact
 * constructors, and so the codec and its streaming reader, take them from, and the numbers the JSON Schemas
 * under {@code /schemas/} repeat (a contract test holds the two together). A value outside them is an
 * {@link OutOfRangeException}; the codec reports it as {@link EventDecodingException.Problem#OUT_OF_RANGE}.
 * Record types added later check their members through the same methods.
 */
public final class Ranges {

    /** Lowest version of a key. */
    public static final long MIN_VERSION = 1;

    /**
     * Highest version: 2^53-1, the largest integer a JSON reader in JavaScript (or any IEEE double) holds
     * exactly, so every reader of the topic agrees on which version is newer.
     */
    public static final long MAX_VERSION = (1L << 53) - 1;

    /** Earliest instant a record may carry (inclusive). */
    public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

    /**
     * End of the instant window (exclusive). Far enough for any real token, near enough that arithmetic on
     * millis or nanos of an instant can never overflow.
     */
    public static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");

    /** Longest life of one token version, {@code expiresAt - issuedAt}; WeChat's credentials live hours. */
    public static final Duration MAX_TOKEN_LIFE = Duration.ofDays(31);

    /** Longest token or credential value; WeChat asks for at least 512 chars of storage (docs/wechat-api.md). */
    public static final int MAX_TOKEN_CHARS = 2048;

    /** Longest encrypted token or value: a compact JWE of the longest token with its header. */
    public static final int MAX_ENCRYPTED_TOKEN_CHARS = 8192;

    /** Longest token key, {@code kind/account} together; also the longest credential key. */
    public static final int MAX_KEY_CHARS = 200;

    /** Longest name of a refresher instance, an operator or a service ({@code refresher}, {@code storedBy}). */
    public static final int MAX_NAME_CHARS = 200;

    /**
     * Longest {@code signature}: a detached compact JWS, its protected header ({@code alg}, {@code kid},
     * {@code typ}) and an Ed25519 or P-256 signature take a few hundred chars; the rest is room for long kids.
     */
    public static final int MAX_SIGNATURE_CHARS = 2048;

    /** Longest retirement {@code reason}, an upper-case code such as {@code UNAUTHORIZED}. */
    public static final int MAX_REASON_CHARS = 64;

    /** Largest encoded record, envelope and unknown members included. */
    public static final int MAX_RECORD_BYTES = 64 * 1024;

    private Ranges() {}

    /** Whether {@code version} is a valid version. */
    public static boolean isVersion(long version) {
        return version >= MIN_VERSION && version <= MAX_VERSION;
    }

    /** Whether {@code instant} lies in [{@link #EARLIEST}, {@link #LATEST}). */
    public static boolean isInWindow(Instant instant) {
        return !instant.isBefore(EARLIEST) && instant.isBefore(LATEST);
    }

    /** Checks a version; returns it. */
    public static long version(long version, String event, String field) {
        if (!isVersion(version)) {
            throw new OutOfRangeException(
                    event, field, "must be in [" + MIN_VERSION + ", " + MAX_VERSION + "] (2^53-1), was " + version);
        }
        return version;
    }

    /** Checks an optional instant (null passes); returns it. */
    public static Instant instant(Instant instant, String event, String field) {
        if (instant != null && !isInWindow(instant)) {
            // The instant itself is no secret, and it is within a few dozen chars however it was written.
            throw new OutOfRangeException(
                    event, field, "must lie in [" + EARLIEST + ", " + LATEST + "), was " + instant);
        }
        return instant;
    }

    /** Checks that {@code end} follows {@code start} by at most {@link #MAX_TOKEN_LIFE}. */
    public static void life(Instant start, Instant end, String event, String field) {
        if (start != null && end != null && Duration.between(start, end).compareTo(MAX_TOKEN_LIFE) > 0) {
            throw new OutOfRangeException(
                    event, field, "must be at most " + MAX_TOKEN_LIFE.toDays() + " days after the start of its life");
        }
    }

    /**
     * Checks an optional name ({@code refresher}, {@code requestedBy}, {@code storedBy}; null passes): at most
     * {@link #MAX_NAME_CHARS} and no control characters, so a name can never start a forged log line.
     */
    public static String name(String name, String event, String field) {
        length(name, MAX_NAME_CHARS, event, field);
        if (name != null) {
            for (int i = 0; i < name.length(); i++) {
                if (Character.isISOControl(name.charAt(i))) {
                    throw new InvalidEventException(event, field, "must not hold control characters");
                }
            }
        }
        return name;
    }

    /** Checks an optional text's length (null passes); returns it. */
    public static String length(String text, int max, String event, String field) {
        if (text != null && text.length() > max) {
            throw new OutOfRangeException(event, field, "is " + text.length() + " chars long; the limit is " + max);
        }
        return text;
    }
}
