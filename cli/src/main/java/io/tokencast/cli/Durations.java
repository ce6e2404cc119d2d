package io.tokencast.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code 30s}, {@code 15m}, {@code 24h}, {@code 7d} (or ISO-8601 {@code PT24H}) as durations. */
final class Durations implements ITypeConverter<Duration> {

    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    @Override
    public Duration convert(String text) {
        return parse(text);
    }

    static Duration parse(String text) {
        String trimmed = text.trim();
        Matcher matcher = SHORT.matcher(trimmed);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(trimmed);
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + text + "' is not a duration; write e.g. 30s, 15m, 24h or 7d");
        }
    }

    /** An instant ({@code 2026-11-26T08:00:00Z}) or a duration ago ({@code 2h}). */
    static Instant instantOrAgo(String text, Instant now) {
        return TimePoint.parse(text).at(now);
    }

    /** A point in time as an operator writes it: an instant, or a duration before now. */
    record TimePoint(Instant instant, Duration ago) {

        static TimePoint parse(String text) {
            try {
                return new TimePoint(Instant.parse(text.trim()), null);
            } catch (DateTimeParseException notAnInstant) {
                try {
                    return new TimePoint(null, Durations.parse(text));
                } catch (TypeConversionException notADuration) {
                    throw new TypeConversionException(
                            "'" + text + "' is neither an instant (2026-11-26T08:00:00Z) nor a duration ago (24h)");
                }
            }
        }

        Instant at(Instant now) {
            return instant != null ? instant : now.minus(ago);
        }
    }

    /** Picocli's converter for {@link TimePoint} options. */
    static final class TimePointConverter implements ITypeConverter<TimePoint> {
        @Override
        public TimePoint convert(String text) {
            return TimePoint.parse(text);
        }
    }

    /** {@code 1h 02m 03s}, or {@code -5m 00s} for the past. */
    static String countdown(Duration duration) {
        String sign = duration.isNegative() ? "-" : "";
        long seconds = Math.abs(duration.toSeconds());
        long hours = seconds / 3600;
        long minutes = seconds % 3600 / 60;
        long rest = seconds % 60;
        return hours > 0
                ? String.format("%s%dh %02dm %02ds", sign, hours, minutes, rest)
                : String.format("%s%dm %02ds", sign, minutes, rest);
    }
}
