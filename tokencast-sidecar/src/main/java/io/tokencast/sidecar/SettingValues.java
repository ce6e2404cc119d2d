package io.tokencast.sidecar;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

/**
 * Parses one setting's text into its type: whole numbers, durations ({@code 30s}), sizes ({@code 64KB}),
 * booleans and URLs, each with the fallback used when the setting is absent. Apart from {@link ConfigLoader}
 * so that every setting of a type is read the same way and refused with the same message, which names the
 * setting and shows what a good value looks like.
 */
final class SettingValues {

    private SettingValues() {}

    static int integer(Map<String, String> own, String name, int fallback) {
        String value = own.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    SettingNames.PREFIX + name + " must be a whole number, was '" + value + "'");
        }
    }

    static boolean bool(Map<String, String> own, String name, boolean fallback) {
        String value = own.get(name);
        if (value == null) {
            return fallback;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(
                    SettingNames.PREFIX + name + " must be true or false, was '" + value + "'");
        };
    }

    static URI uri(Map<String, String> own, String name, URI fallback) {
        String value = own.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return URI.create(value.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    SettingNames.PREFIX + name + " must be a URL like https://api.weixin.qq.com");
        }
    }

    /** {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h} or ISO-8601 {@code PT30S}. */
    static Duration duration(Map<String, String> own, String name, Duration fallback) {
        String value = own.get(name);
        if (value == null) {
            return fallback;
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("pt")) {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new NumberFormatException(v);
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(SettingNames.PREFIX + name
                    + " must be a duration like 250ms, 30s, 5m or PT30S, was '" + value + "'");
        }
    }

    /** {@code 65536}, {@code 64KB} or {@code 1MB}. */
    static int size(Map<String, String> own, String name, int fallback) {
        String value = own.get(name);
        if (value == null) {
            return fallback;
        }
        String v = value.strip().toUpperCase(Locale.ROOT);
        try {
            if (v.endsWith("KB")) {
                return Math.toIntExact(
                        Long.parseLong(v.substring(0, v.length() - 2).strip()) * 1024);
            }
            if (v.endsWith("MB")) {
                return Math.toIntExact(
                        Long.parseLong(v.substring(0, v.length() - 2).strip()) * 1024 * 1024);
            }
            return Integer.parseInt(v.endsWith("B") ? v.substring(0, v.length() - 1) : v);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(
                    SettingNames.PREFIX + name + " must be a size like 65536, 64KB or 1MB, was '" + value + "'");
        }
    }
}
