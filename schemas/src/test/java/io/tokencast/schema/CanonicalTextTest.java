package io.tokencast.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/** CanonicalText reads the codec's own forms to the values the general parsers give, and nothing else. */
class CanonicalTextTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final long FIRST_SECOND = LocalDate.of(0, 1, 1).toEpochDay() * 86_400;
    private static final long LAST_SECOND = LocalDate.of(10_000, 1, 1).toEpochDay() * 86_400 - 1;
    // seconds, milliseconds, microseconds, nanoseconds, and an odd one
    private static final int[] PRECISIONS = {1_000_000_000, 1_000_000, 1_000, 1, 100};

    private final Random random = new Random(20250601);

    @Test
    void readsEveryInstantTheCodecWritesAsTheIsoParserDoes() {
        for (int i = 0; i < 20_000; i++) {
            long second = FIRST_SECOND + (long) (random.nextDouble() * (LAST_SECOND - FIRST_SECOND));
            int precision = PRECISIONS[i % PRECISIONS.length];
            Instant instant = Instant.ofEpochSecond(second, random.nextInt(1_000_000_000) / precision * precision);
            String text = DateTimeFormatter.ISO_INSTANT.format(instant);

            assertThat(CanonicalText.instant(text)).as(text).isEqualTo(instant).isEqualTo(isoParsed(text));
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2025-06-01T08:00:00.5Z",
                "2025-06-01T08:00:00.12Z",
                "2025-06-01T08:00:00.1234Z",
                "2025-06-01T08:00:00.00001Z",
                "2025-06-01T08:00:00.9999999Z",
                "2025-06-01T08:00:00.12345678Z",
                "2025-06-01T08:00:00.000000001Z",
                "2024-02-29T23:59:59Z",
                "0000-02-29T00:00:00Z",
                "0000-01-01T00:00:00Z",
                "9999-12-31T23:59:59.999999999Z"
            })
    void readsFractionsOfAnyLengthAndTheEdgesOfTheCalendar(String text) {
        assertThat(CanonicalText.instant(text)).isEqualTo(isoParsed(text));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(
            strings = {
                // what the general path also reads, in another form
                "2025-06-01t08:00:00z",
                "2025-06-01T08:00:00+00:00",
                "2025-06-01T08:00:00+08:00",
                "2025-06-01T08:00Z",
                "2025-06-01T08:00:00.Z",
                // what it rejects
                "2025-06-01T08:00:00",
                "2025-06-01T08:00:00.1234567891Z",
                "2025-06-01T08:00:00,5Z",
                "2025-06-01 08:00:00Z",
                "2025-06-01T08:00:60Z",
                "2025-06-01T24:00:00Z",
                "2025-06-01T08:60:00Z",
                "2023-02-29T08:00:00Z",
                "2025-04-31T08:00:00Z",
                "2025-13-01T08:00:00Z",
                "2025-00-01T08:00:00Z",
                "2025-06-00T08:00:00Z",
                "+2025-06-01T08:00:00Z",
                "-0001-06-01T08:00:00Z",
                "+10000-01-01T00:00:00Z",
                "２025-06-01T08:00:00Z",
                " 2025-06-01T08:00:00Z",
                "2025-06-01T08:00:00Z ",
                "2025-06-01T08:0a:00Z",
                "1748764800"
            })
    void readsNoOtherFormOfInstant(String text) {
        assertThat(CanonicalText.instant(text)).isNull();
    }

    @Test
    void anyInstantItReadsTheIsoParserReadsTheSame() {
        for (int i = 0; i < 50_000; i++) {
            String text = mutated(
                    DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(
                            FIRST_SECOND + (long) (random.nextDouble() * (LAST_SECOND - FIRST_SECOND)),
                            random.nextInt(1_000_000_000))),
                    "0123456789-:T.Z+tz ２");

            Instant read = CanonicalText.instant(text);
            if (read != null) {
                assertThat(isoParsed(text)).as(text).isEqualTo(read);
            }
        }
    }

    @Test
    void readsEveryUuidInEitherCaseAsJacksonDoes() {
        for (int i = 0; i < 20_000; i++) {
            UUID uuid = new UUID(random.nextLong(), random.nextLong());
            String text = i % 2 == 0 ? uuid.toString() : uuid.toString().toUpperCase(Locale.ROOT);

            assertThat(CanonicalText.uuid(text)).as(text).isEqualTo(uuid).isEqualTo(jacksonUuid(text));
        }
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(
            strings = {
                // what Jackson also reads, in another form
                "Pyu8Hm1KTnucLRpejwt8NA==",
                " 3f2b8c1e-6d4a-4e7b-9c2d-1a5e8f0b7c34",
                // what it rejects
                "3f2b8c1e6d4a4e7b9c2d1a5e8f0b7c34",
                "{3f2b8c1e-6d4a-4e7b-9c2d-1a5e8f0b7c34}",
                "3f2b8c1e-6d4a-4e7b-9c2d-1a5e8f0b7c3",
                "3f2b8c1e-6d4a-4e7b-9c2d-1a5e8f0b7c3g",
                "3f2b8c1e+6d4a-4e7b-9c2d-1a5e8f0b7c34",
                "３f2b8c1e-6d4a-4e7b-9c2d-1a5e8f0b7c34",
                "1-1-1-1-1"
            })
    void readsNoOtherFormOfUuid(String text) {
        assertThat(CanonicalText.uuid(text)).isNull();
    }

    @Test
    void anyUuidItReadsJacksonReadsTheSame() {
        for (int i = 0; i < 50_000; i++) {
            String text = mutated(new UUID(random.nextLong(), random.nextLong()).toString(), "09afAFgG-+ ３");

            UUID read = CanonicalText.uuid(text);
            if (read != null) {
                assertThat(jacksonUuid(text)).as(text).isEqualTo(read);
            }
        }
    }

    /** The text with one character replaced, inserted or removed. */
    private String mutated(String text, String alphabet) {
        int at = random.nextInt(text.length());
        char c = alphabet.charAt(random.nextInt(alphabet.length()));
        return switch (random.nextInt(3)) {
            case 0 -> text.substring(0, at) + c + text.substring(at + 1);
            case 1 -> text.substring(0, at) + c + text.substring(at);
            default -> text.substring(0, at) + text.substring(at + 1);
        };
    }

    private static Instant isoParsed(String text) {
        return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                .toInstant();
    }

    private static UUID jacksonUuid(String text) {
        return MAPPER.readValue(MAPPER.writeValueAsString(text), UUID.class);
    }
}
