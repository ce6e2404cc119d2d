package io.tokencast.refresher.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SecretScanTest {

    @Test
    void findsASecretAnywhereInAText() {
        SecretScan scan = new SecretScan(List.of("84_token-value", "secret-1"));

        assertThat(scan.containsASecret("84_token-value")).isTrue();
        assertThat(scan.containsASecret("refreshed token=84_token-value at 01:00"))
                .isTrue();
        assertThat(scan.containsASecret("ends with secret-1")).isTrue();
        assertThat(scan.containsASecret("84_token-valu")).isFalse();
        assertThat(scan.containsASecret("secret-2 and 84_token-vaLue")).isFalse();
        assertThat(scan.containsASecret("")).isFalse();
    }

    @Test
    void answersAsContainsDoesForEveryPair() {
        Random random = new Random(20);
        List<String> secrets = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            secrets.add(word(random, 1 + random.nextInt(6)));
        }
        SecretScan scan = new SecretScan(secrets);
        for (int i = 0; i < 2_000; i++) {
            String text = word(random, random.nextInt(40));
            assertThat(scan.containsASecret(text))
                    .as(text)
                    .isEqualTo(secrets.stream().anyMatch(text::contains));
        }
    }

    /** Letters from a small alphabet, so that texts contain secrets often. */
    private static String word(Random random, int length) {
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < length; i++) {
            word.append("abc".charAt(random.nextInt(3)));
        }
        return word.toString();
    }
}
