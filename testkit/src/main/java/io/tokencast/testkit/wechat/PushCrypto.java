package io.tokencast.testkit.wechat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * WeChat's third-party message encryption (docs/wechat-api.md §5.1): AES-256-CBC with IV = first 16 key bytes,
 * PKCS#7 padding to 32-byte blocks, plaintext {@code random16 + len(msg) big-endian + msg + appid};
 * signatures are SHA-1 over the sorted, concatenated strings. The sandbox's side of a ticket push (it encrypts
 * and signs what it pushes); the refresher's side is
 * {@code io.tokencast.refresher.service.openplatform.MessageCrypto}.
 */
final class PushCrypto {

    private static final int PAD_BLOCK = 32;

    private PushCrypto() {}

    static String encrypt(byte[] aesKey, String appid, String message) {
        byte[] msg = message.getBytes(StandardCharsets.UTF_8);
        byte[] id = appid.getBytes(StandardCharsets.UTF_8);
        int length = 16 + 4 + msg.length + id.length;
        int pad = PAD_BLOCK - (length % PAD_BLOCK);
        ByteBuffer plain = ByteBuffer.allocate(length + pad);
        plain.put(Secrets.bytes(16)).putInt(msg.length).put(msg).put(id);
        byte[] padding = new byte[pad];
        Arrays.fill(padding, (byte) pad);
        plain.put(padding);
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(
                    Cipher.ENCRYPT_MODE,
                    new SecretKeySpec(aesKey, "AES"),
                    new IvParameterSpec(Arrays.copyOfRange(aesKey, 0, 16)));
            return Base64.getEncoder().encodeToString(cipher.doFinal(plain.array()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CBC is required by every JDK 17", e);
        }
    }

    /** {@code sha1(concat(sort(parts)))}, hex: both {@code signature} and {@code msg_signature}. */
    static String signature(String... parts) {
        String[] sorted = parts.clone();
        Arrays.sort(sorted);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest(String.join("", sorted).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 is required by every JDK", e);
        }
    }
}
