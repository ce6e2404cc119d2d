package io.tokencast.sidecar;

import io.tokencast.schema.InvalidTokenKeyException;
import io.tokencast.schema.TokenKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Handles: what the token endpoints answer in gateway mode instead of a token. A handle is
 * {@code tch1.<payload>.<mac>}: the payload (base64url) names the token key, the client and the expiry (the
 * {@code expires_in} it was given with), the MAC is HMAC-SHA256 under the sidecar's handle key. So a handle
 * survives restarts (the key is kept) and rotations (it names a key, not a token), is worthless to WeChat and to
 * any other sidecar, and needs no state. The handle key never appears in a log line or an error.
 */
final class Handles {

    static final String PREFIX = "tch1.";
    private static final String ALGORITHM = "HmacSHA256";
    private static final byte[] DOMAIN = "tokencast-handle-v1\n".getBytes(StandardCharsets.UTF_8);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final SecretKeySpec key;

    private Handles(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("the gateway's handle key must be at least 32 bytes");
        }
        this.key = new SecretKeySpec(key, ALGORITHM);
    }

    /** The configured key, or the one in the key file, generated (mode 0600) when the file does not exist. */
    static Handles load(GatewayConfig config) {
        if (config.handleKey().isPresent()) {
            try {
                return new Handles(
                        Base64.getDecoder().decode(config.handleKey().get().strip()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "tokencast.sidecar.gateway.handle-key must be base64 of at least 32 random bytes");
            }
        }
        return new Handles(keyFile(config.handleKeyFile()));
    }

    private static byte[] keyFile(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                try {
                    if (parent != null && Files.getFileStore(parent).supportsFileAttributeView("posix")) {
                        Files.createFile(
                                file,
                                PosixFilePermissions.asFileAttribute(
                                        Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
                    } else {
                        Files.createFile(file);
                    }
                    Files.write(
                            file,
                            Base64.getEncoder().encode(fresh),
                            StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING);
                    return fresh;
                } catch (FileAlreadyExistsException raced) {
                    // Another sidecar sharing the file made it first: use its key.
                }
            }
            byte[] decoded = Base64.getDecoder()
                    .decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
            return decoded;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "the gateway's handle key file " + file + " cannot be read or created: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "the gateway's handle key file " + file + " does not hold base64 of at least 32 bytes");
        }
    }

    /** A handle for {@code key}, minted for {@code client} (empty: no client credentials), valid until {@code expiresAt}. */
    String mint(TokenKey tokenKey, String client, Instant expiresAt) {
        byte[] payload = (tokenKey.asString() + "\n" + client + "\n" + expiresAt.getEpochSecond())
                .getBytes(StandardCharsets.UTF_8);
        return PREFIX + B64.encodeToString(payload) + "." + B64.encodeToString(mac(payload));
    }

    static boolean looksLikeHandle(String presented) {
        return presented != null && presented.startsWith(PREFIX);
    }

    /** What a presented handle says, if its MAC is this sidecar's. */
    Verdict verify(String presented, Instant now) {
        if (!looksLikeHandle(presented) || presented.length() > 1024) {
            return new Verdict.Forged("not a handle of this sidecar");
        }
        String rest = presented.substring(PREFIX.length());
        int dot = rest.indexOf('.');
        if (dot < 0) {
            return new Verdict.Forged("a malformed handle");
        }
        byte[] payload;
        byte[] presentedMac;
        try {
            payload = B64D.decode(rest.substring(0, dot));
            presentedMac = B64D.decode(rest.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return new Verdict.Forged("a malformed handle");
        }
        // Constant time, so a forger learns nothing from how long a wrong guess took.
        if (!MessageDigest.isEqual(mac(payload), presentedMac)) {
            return new Verdict.Forged("a handle this sidecar did not mint (or minted under another handle key)");
        }
        String[] parts = new String(payload, StandardCharsets.UTF_8).split("\n", -1);
        if (parts.length != 3) {
            return new Verdict.Forged("a malformed handle");
        }
        TokenKey tokenKey;
        Instant expiresAt;
        try {
            tokenKey = TokenKey.parse(parts[0]);
            expiresAt = Instant.ofEpochSecond(Long.parseLong(parts[2]));
        } catch (InvalidTokenKeyException | NumberFormatException e) {
            return new Verdict.Forged("a malformed handle");
        }
        if (!now.isBefore(expiresAt)) {
            return new Verdict.Expired(tokenKey);
        }
        return new Verdict.Valid(tokenKey, parts[1], expiresAt);
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(DOMAIN);
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + ALGORITHM, e);
        }
    }

    /** What a presented handle turned out to be. */
    sealed interface Verdict {
        record Valid(TokenKey key, String client, Instant expiresAt) implements Verdict {}

        record Expired(TokenKey key) implements Verdict {}

        record Forged(String why) implements Verdict {}
    }
}
