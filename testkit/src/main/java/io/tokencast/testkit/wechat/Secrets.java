package io.tokencast.testkit.wechat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Mints opaque credentials shaped like WeChat's, and fingerprints secrets for logs. */
final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private Secrets() {}

    /** Like {@code 84_vWP_BMIMQ02VxmoiYg9tF0...}: a numeric prefix, '_', ~130 base64url chars. */
    static String accessToken() {
        return (60 + RANDOM.nextInt(40)) + "_" + URL.encodeToString(bytes(98));
    }

    static String verifyTicket() {
        return "ticket@@@" + URL.encodeToString(bytes(64));
    }

    static String refreshToken() {
        return "refreshtoken@@@" + URL.encodeToString(bytes(32));
    }

    /** jsapi / wx_card tickets are opaque base64url-ish strings of ~86 chars. */
    static String jsTicket() {
        return URL.encodeToString(bytes(64));
    }

    static String nonce() {
        return Long.toString(1_000_000_000L + RANDOM.nextInt(Integer.MAX_VALUE));
    }

    /** WeChat request ids look like {@code 617682e0-09059ac5-34a8e2ea}. */
    static String rid() {
        HexFormat hex = HexFormat.of();
        return hex.toHexDigits(RANDOM.nextInt()) + "-" + hex.toHexDigits(RANDOM.nextInt()) + "-"
                + hex.toHexDigits(RANDOM.nextInt());
    }

    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** {@code "sha256:" + first 16 hex of SHA-256}; the only form in which a secret may be logged. */
    static String fingerprint(String secret) {
        if (secret == null) {
            return null;
        }
        return "sha256:" + HexFormat.of().formatHex(sha256(secret)).substring(0, 16);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
