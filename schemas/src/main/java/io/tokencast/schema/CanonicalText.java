package io.tokencast.schema;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.Year;
import java.util.UUID;

/**
 * Parses the one text form {@link EventCodec} writes for a UUID and for an instant, for the streaming
 * {@link TokenRefreshedReader}. Any other text, even one the general readers accept (a base64 UUID, an
 * offset of {@code +08:00}, a lowercase {@code z}), gives null, so the caller falls back to the general path
 * instead of guessing how it would treat it. Never throws.
 */
final class CanonicalText {

    private static final int SECONDS_PER_DAY = 86_400;

    private CanonicalText() {}

    /** The UUID of {@code xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx} (hex in either case), else null. */
    static UUID uuid(String text) {
        if (text == null || text.length() != 36) {
            return null;
        }
        if (text.charAt(8) != '-' || text.charAt(13) != '-' || text.charAt(18) != '-' || text.charAt(23) != '-') {
            return null;
        }
        long high = hex(text, 0, 8);
        long middle = hex(text, 9, 13);
        long low = hex(text, 14, 18);
        long sequence = hex(text, 19, 23);
        long node = hex(text, 24, 36);
        if ((high | middle | low | sequence | node) < 0) {
            return null;
        }
        return new UUID(high << 32 | middle << 16 | low, sequence << 48 | node);
    }

    /**
     * The instant of {@code yyyy-MM-ddTHH:mm:ssZ} with an optional fraction of 1 to 9 digits (what
     * {@link java.time.format.DateTimeFormatter#ISO_INSTANT} prints), else null; invalid dates such as
     * February 30th and leap seconds are null too.
     */
    static Instant instant(String text) {
        int length = text == null ? 0 : text.length();
        // 20 chars without a fraction; with one, '.' and 1 to 9 digits
        if ((length != 20 && (length < 22 || length > 30)) || !punctuated(text, length)) {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int nanos = length == 20 ? 0 : nanos(text, 20, length - 1);
        if ((year | month | day | hour | minute | second | nanos) < 0
                || !isDate(year, month, day)
                || hour > 23
                || minute > 59
                || second > 59) {
            return null;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second, nanos);
    }

    private static boolean punctuated(String text, int length) {
        return text.charAt(4) == '-'
                && text.charAt(7) == '-'
                && text.charAt(10) == 'T'
                && text.charAt(13) == ':'
                && text.charAt(16) == ':'
                && (length == 20 || text.charAt(19) == '.')
                && text.charAt(length - 1) == 'Z';
    }

    private static boolean isDate(int year, int month, int day) {
        return month >= 1 && month <= 12 && day >= 1 && day <= Month.of(month).length(Year.isLeap(year));
    }

    /** The fraction's digits as nanoseconds, or -1. */
    private static int nanos(String text, int from, int to) {
        int value = digits(text, from, to);
        for (int i = to - from; value >= 0 && i < 9; i++) {
            value *= 10;
        }
        return value;
    }

    /** The ASCII decimal number in {@code text[from, to)}, at most 9 digits, or -1. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** The ASCII hex number in {@code text[from, to)}, at most 12 digits, or -1. */
    private static long hex(String text, int from, int to) {
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = hexDigit(text.charAt(i));
            if (digit < 0) {
                return -1;
            }
            value = value << 4 | digit;
        }
        return value;
    }

    // Only ASCII: Character.digit would also take full-width and other Unicode digits, which the general
    // path rejects.
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
