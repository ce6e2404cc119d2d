package io.tokencast.schema;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The one safe way to name a secret in logs, metrics and audit records: {@code sha256:} followed by the
 * first 16 hex digits of the SHA-256 of its UTF-8 bytes.
 */
public final class Fingerprint {

    private static final Pattern SHAPE = Pattern.compile("sha256:[0-9a-f]{16}");

    private Fingerprint() {}

    /** Fingerprint of a token, ticket or secret. */
    public static String of(String secret) {
        if (secret == null) {
            throw new IllegalArgumentException("cannot fingerprint a missing value");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM ships SHA-256", e);
        }
    }

    /** Whether the text has the shape of a fingerprint. */
    public static boolean isFingerprint(String text) {
        return text != null && SHAPE.matcher(text).matches();
    }
}
