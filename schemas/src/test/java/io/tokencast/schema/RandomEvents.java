package io.tokencast.schema;

import java.time.Instant;
import java.util.Random;
import java.util.UUID;

/**
 * Random valid {@link TokenRefreshed} events for property tests: every kind and reason, plain and encrypted
 * tokens, versions up to {@link Ranges#MAX_VERSION}, instants across the whole window of {@link Ranges} at every
 * precision, lives up to {@link Ranges#MAX_TOKEN_LIFE}, and text
 * that JSON must escape (quotes, backslashes, control characters, non-ASCII, surrogate pairs).
 */
final class RandomEvents {

    private static final long FIRST_SECOND = Ranges.EARLIEST.getEpochSecond();
    private static final long MAX_LIFE = Ranges.MAX_TOKEN_LIFE.toSeconds();
    private static final long LAST_ISSUED_SECOND = Ranges.LATEST.getEpochSecond() - MAX_LIFE;
    private static final String TOKEN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    private static final String[] ODD_CHARS = {"\"", "\\", "/", "\u0001", "\n", "\t", " ", "é", "令牌", "😀", "\u2028"};
    private static final String[] ACCOUNTS = {
        "wx0123456789abcdef", "ww1234567890abcd.1000002", "wxcomp.wxauth", "账号", "wx\"quoted\\", "é"
    };

    private final Random random;

    RandomEvents(long seed) {
        this.random = new Random(seed);
    }

    Random random() {
        return random;
    }

    TokenRefreshed next() {
        TokenKey key = TokenKey.of(pick(TokenKind.values()), account());
        String secret = text(1 + random.nextInt(300));
        boolean encrypted = random.nextInt(4) == 0;
        Instant issuedAt = instant(FIRST_SECOND, LAST_ISSUED_SECOND);
        long issued = issuedAt.getEpochSecond();
        return new TokenRefreshed(
                UUID.randomUUID(),
                key,
                random.nextBoolean() ? key.kind() : null,
                random.nextBoolean() ? key.account() : null,
                version(),
                encrypted ? null : secret,
                encrypted ? "v1:AES-GCM:" + secret : null,
                Fingerprint.of(secret),
                issuedAt,
                instant(issued + 1, issued + MAX_LIFE),
                instant(issued, issued + MAX_LIFE),
                pick(RefreshReason.values()),
                // Names hold no control characters (Ranges.name); everything else JSON escapes may be in them.
                "refresher-" + text(1 + random.nextInt(12)).replaceAll("\\p{Cntrl}", "~"),
                random.nextBoolean() ? null : new UUID(random.nextLong(), random.nextLong()));
    }

    /** A non-blank text of about the given length, mostly token characters, now and then one to escape. */
    String text(int length) {
        StringBuilder text = new StringBuilder(TOKEN_CHARS.charAt(random.nextInt(TOKEN_CHARS.length())) + "");
        while (text.length() < length) {
            text.append(
                    random.nextInt(20) == 0
                            ? pick(ODD_CHARS)
                            : String.valueOf(TOKEN_CHARS.charAt(random.nextInt(TOKEN_CHARS.length()))));
        }
        return text.toString();
    }

    <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    private String account() {
        return random.nextBoolean() ? pick(ACCOUNTS) : "wx" + Long.toHexString(random.nextLong());
    }

    private long version() {
        return switch (random.nextInt(4)) {
            case 0 -> 1;
            case 1 -> Ranges.MAX_VERSION;
            case 2 -> 1 + random.nextInt(10_000);
            default -> 1 + (random.nextLong() >>> 1) % Ranges.MAX_VERSION;
        };
    }

    /** An instant in [from, to) seconds, at second, milli, micro or nano precision. */
    private Instant instant(long fromSecond, long toSecond) {
        long second = fromSecond + (long) (random.nextDouble() * (toSecond - fromSecond));
        int nanos = random.nextInt(1_000_000_000);
        int precision =
                switch (random.nextInt(4)) {
                    case 0 -> 1_000_000_000;
                    case 1 -> 1_000_000;
                    case 2 -> 1_000;
                    default -> 1;
                };
        return Instant.ofEpochSecond(second, nanos - nanos % precision);
    }
}
