package io.tokencast.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link Fingerprint#isFingerprint} accepts exactly what its contract's pattern accepts. */
class FingerprintShapeTest {

    private static final Pattern CONTRACT = Pattern.compile("sha256:[0-9a-f]{16}");

    @Test
    void agreesWithTheContractPatternOnNearMisses() {
        Random random = new Random(20250601);
        // the characters on either side of each range, and a few that only look like hex digits
        String alphabet = "/09:`af gAF０ａ";
        for (int i = 0; i < 100_000; i++) {
            StringBuilder text = new StringBuilder(Fingerprint.of("token-" + i));
            int at = random.nextInt(text.length() + 1);
            switch (random.nextInt(3)) {
                case 0 -> text.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                case 1 -> text.deleteCharAt(Math.min(at, text.length() - 1));
                default -> text.setCharAt(
                        Math.min(at, text.length() - 1), alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String candidate = text.toString();

            assertThat(Fingerprint.isFingerprint(candidate))
                    .as(candidate)
                    .isEqualTo(CONTRACT.matcher(candidate).matches());
        }
    }
}
