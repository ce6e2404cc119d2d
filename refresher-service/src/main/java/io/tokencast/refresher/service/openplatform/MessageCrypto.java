package io.tokencast.refresher.service.openplatform;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * WeChat's message encryption for one third-party platform (docs/wechat-api.md §5.1): {@code msg_signature} is
 * the SHA-1 of the sorted, concatenated token, timestamp, nonce and ciphertext; the ciphertext is
 * AES-256-CBC with the key {@code Base64(EncodingAESKey + "=")}, IV = its first 16 bytes and PKCS#7 padding
 * to 32-byte blocks, over {@code random(16) + len(msg) (4 bytes, big-endian) + msg + appid}. Decryption also
 * tries the previous EncodingAESKey, because WeChat keeps using it for a while after the key is changed.
 * Thread-safe and immutable; {@link #toString()} prints no key.
 */
final class MessageCrypto {

    private static final Pattern ENCODING_AES_KEY = Pattern.compile("[A-Za-z0-9]{43}");
    private static final int PAD_BLOCK = 32;
    private static final int RANDOM_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a ciphertext held: the message and the appid WeChat appended to it. */
    record Decrypted(String message, String appid) {
        @Override
        public String toString() {
            return "Decrypted[appid=" + appid + ", message=<" + message.length() + " chars>]";
        }
    }

    private final String appid;
    private final String token;
    private final List<byte[]> keys;

    /**
     * @param appid the component appid every ciphertext must end with
     * @param token the callback token configured in the open platform console
     * @param encodingAesKey the current 43-character EncodingAESKey
     * @param previousEncodingAesKey the key before the last change, or null
     */
    MessageCrypto(String appid, String token, String encodingAesKey, String previousEncodingAesKey) {
        this.appid = requireText(appid, "appid");
        this.token = requireText(token, "token");
        List<byte[]> all = new ArrayList<>();
        all.add(aesKey(encodingAesKey));
        if (previousEncodingAesKey != null && !previousEncodingAesKey.isBlank()) {
            all.add(aesKey(previousEncodingAesKey));
        }
        this.keys = List.copyOf(all);
    }

    /** Whether {@code text} is a well-formed EncodingAESKey: 43 characters of {@code [A-Za-z0-9]}. */
    static boolean isEncodingAesKey(String text) {
        return text != null && ENCODING_AES_KEY.matcher(text).matches();
    }

    String appid() {
        return appid;
    }

    /** The {@code msg_signature} WeChat computes for these parts. */
    String signature(String timestamp, String nonce, String encrypted) {
        return sha1Sorted(token, timestamp, nonce, encrypted);
    }

    /** Checks a {@code msg_signature} in constant time, so its bytes cannot be guessed one by one. */
    boolean verify(String msgSignature, String timestamp, String nonce, String encrypted) {
        if (msgSignature == null || timestamp == null || nonce == null || encrypted == null) {
            return false;
        }
        byte[] expected = signature(timestamp, nonce, encrypted).getBytes(StandardCharsets.US_ASCII);
        byte[] actual = msgSignature.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, actual);
    }

    /**
     * Decrypts with the current key, then the previous one. Empty when neither yields a well-formed plaintext
     * (bad Base64, block size, padding or length): the message was not encrypted with a key of this platform.
     */
    Optional<Decrypted> decrypt(String encrypted) {
        byte[] ciphertext;
        try {
            ciphertext = Base64.getDecoder().decode(encrypted);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (ciphertext.length == 0 || ciphertext.length % 16 != 0) {
            return Optional.empty();
        }
        for (byte[] key : keys) {
            Optional<Decrypted> plain = unpack(aes(Cipher.DECRYPT_MODE, key, ciphertext));
            if (plain.isPresent()) {
                return plain;
            }
        }
        return Optional.empty();
    }

    /** Encrypts with the current key as WeChat does; for replies and tests. */
    String encrypt(String message) {
        byte[] random = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(random);
        byte[] msg = message.getBytes(StandardCharsets.UTF_8);
        byte[] id = appid.getBytes(StandardCharsets.UTF_8);
        int length = RANDOM_BYTES + 4 + msg.length + id.length;
        int pad = PAD_BLOCK - (length % PAD_BLOCK);
        ByteBuffer plain = ByteBuffer.allocate(length + pad);
        plain.put(random).putInt(msg.length).put(msg).put(id);
        byte[] padding = new byte[pad];
        Arrays.fill(padding, (byte) pad);
        plain.put(padding);
        return Base64.getEncoder().encodeToString(aes(Cipher.ENCRYPT_MODE, keys.get(0), plain.array()));
    }

    /** {@code sha1(concat(sort(parts)))} in lower-case hex. */
    static String sha1Sorted(String... parts) {
        String[] sorted = parts.clone();
        Arrays.sort(sorted);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest(String.join("", sorted).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM ships SHA-1", e);
        }
    }

    private static Optional<Decrypted> unpack(byte[] plain) {
        int pad = plain[plain.length - 1] & 0xff;
        if (pad < 1 || pad > PAD_BLOCK || pad > plain.length) {
            return Optional.empty();
        }
        for (int i = plain.length - pad; i < plain.length; i++) {
            if ((plain[i] & 0xff) != pad) {
                return Optional.empty();
            }
        }
        int content = plain.length - pad;
        if (content < RANDOM_BYTES + 4) {
            return Optional.empty();
        }
        int msgLength = ByteBuffer.wrap(plain, RANDOM_BYTES, 4).getInt();
        int msgStart = RANDOM_BYTES + 4;
        if (msgLength < 0 || msgLength > content - msgStart) {
            return Optional.empty();
        }
        String message = new String(plain, msgStart, msgLength, StandardCharsets.UTF_8);
        String appid = new String(plain, msgStart + msgLength, content - msgStart - msgLength, StandardCharsets.UTF_8);
        return Optional.of(new Decrypted(message, appid));
    }

    private static byte[] aes(int mode, byte[] key, byte[] input) {
        try {
            // NoPadding: WeChat pads to 32-byte blocks, which the JDK's PKCS5Padding (16-byte blocks) rejects.
            Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(Arrays.copyOfRange(key, 0, 16)));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CBC is available in every JDK 17", e);
        }
    }

    private static byte[] aesKey(String encodingAesKey) {
        if (!isEncodingAesKey(encodingAesKey)) {
            throw new IllegalArgumentException(
                    "an EncodingAESKey must be 43 characters [A-Za-z0-9], as shown in the open platform console");
        }
        return Base64.getDecoder().decode(encodingAesKey + "=");
    }

    private static String requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " is blank");
        }
        return value;
    }

    @Override
    public String toString() {
        return "MessageCrypto[appid=" + appid + ", keys=" + keys.size() + ", token=<redacted>]";
    }
}
