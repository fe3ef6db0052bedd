package io.prefpipe.app;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations as people write them in prefpipe's options and configuration files: {@code 500ms}, {@code 30s},
 * {@code 10m}, {@code 2h}, {@code 7d}, or ISO-8601 ({@code PT30S}).
 */
public final class DurationText {
    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private DurationText() {}

    /** The duration {@code text} writes, or empty if it writes none. */
    public static Optional<Duration> parse(String text) {
        String t = text.trim();
        Matcher m = SHORT.matcher(t.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return Optional.of(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
        }
        try {
            return Optional.of(Duration.parse(t));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Converts a positive duration option; picocli names the option in its error. */
    public static final class PositiveConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d = parse(value).orElseThrow(() -> new TypeConversionException(
                    "must be a duration such as 30m, 24h or 7d, got '" + value + "'"));
            if (d.isZero() || d.isNegative()) {
                throw new TypeConversionException("must be positive, got '" + value + "'");
            }
            return d;
        }
    }
}
