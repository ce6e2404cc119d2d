package io.tokencast.schema;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The one safe way to name a secret in logs, metrics and audit records: {@code sha256:} followed by the
 * first 16 hex digits of the SHA-256 of its UTF-8 bytes.
 *
 * <p>A write hashes its token once: each thread remembers the last string it fingerprinted, by identity, so the
 * fetch, the event's factory and the event's own check ({@link #matches}) of that one string share one SHA-256.
 * Another string, even an equal one, is hashed afresh.
 */
public final class Fingerprint {

    private static final String PREFIX = "sha256:";
    private static final int HEX_DIGITS = 16;

    /** The last string this thread fingerprinted, and its fingerprint. */
    private static final class Last {
        String secret;
        String fingerprint;
    }

    private static final ThreadLocal<Last> LAST = ThreadLocal.withInitial(Last::new);

    private Fingerprint() {}

    /** Fingerprint of a token, ticket or secret. */
    public static String of(String secret) {
        if (secret == null) {
            throw new IllegalArgumentException("cannot fingerprint a missing value");
        }
        Last last = LAST.get();
        if (last.secret == secret) {
            return last.fingerprint;
        }
        String fingerprint = digest(secret);
        last.secret = secret;
        last.fingerprint = fingerprint;
        return fingerprint;
    }

    /** Whether {@code fingerprint} is the fingerprint of {@code secret}. */
    public static boolean matches(String secret, String fingerprint) {
        return fingerprint != null && fingerprint.equals(of(secret));
    }

    private static String digest(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(digest, 0, HEX_DIGITS / 2);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM ships SHA-256", e);
        }
    }

    /** Whether the text has the shape of a fingerprint: {@code sha256:} and 16 lowercase hex digits. */
    public static boolean isFingerprint(String text) {
        // A loop, not a regex: every decoded event checks one, and a regex match costs ten times more.
        if (text == null || text.length() != PREFIX.length() + HEX_DIGITS || !text.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }
}
