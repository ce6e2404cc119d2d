package io.tokencast.refresher.service;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether any of many secrets occurs in any of many texts: what {@code text.contains(secret)} for every pair
 * answers, in one pass over each text per distinct secret length (a rolling hash, checked character by character
 * on a hit). A topic with 100 000 tokens against the log lines of a test costs a second, not minutes.
 */
final class SecretScan {

    private static final long BASE = 1_000_003L;

    /** By length: the secrets of that length by their hash. */
    private final Map<Integer, Map<Long, List<String>>> secrets = new HashMap<>();

    SecretScan(Collection<String> secrets) {
        for (String secret : secrets) {
            this.secrets
                    .computeIfAbsent(secret.length(), length -> new HashMap<>())
                    .computeIfAbsent(hash(secret, 0, secret.length()), hash -> new ArrayList<>(1))
                    .add(secret);
        }
    }

    /** The texts that contain at least one of the secrets, in their order. */
    List<String> textsWithASecret(Collection<String> texts) {
        return texts.stream().filter(this::containsASecret).toList();
    }

    boolean containsASecret(String text) {
        for (Map.Entry<Integer, Map<Long, List<String>>> ofLength : secrets.entrySet()) {
            if (contains(text, ofLength.getKey(), ofLength.getValue())) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(String text, int length, Map<Long, List<String>> byHash) {
        if (length > text.length()) {
            return false;
        }
        long power = 1; // BASE^(length-1): the weight of the character leaving the window
        for (int i = 1; i < length; i++) {
            power *= BASE;
        }
        long hash = hash(text, 0, length);
        for (int at = 0; ; at++) {
            List<String> candidates = byHash.get(hash);
            if (candidates != null) {
                for (String secret : candidates) {
                    if (text.regionMatches(at, secret, 0, length)) {
                        return true;
                    }
                }
            }
            if (at + length >= text.length()) {
                return false;
            }
            hash = (hash - text.charAt(at) * power) * BASE + text.charAt(at + length);
        }
    }

    private static long hash(String text, int from, int to) {
        long hash = 0;
        for (int i = from; i < to; i++) {
            hash = hash * BASE + text.charAt(i);
        }
        return hash;
    }
}
