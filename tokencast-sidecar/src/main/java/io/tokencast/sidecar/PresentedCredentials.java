package io.tokencast.sidecar;

import io.tokencast.consumer.Token;
import io.tokencast.schema.TokenKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What a caller presents as its {@code access_token}: a handle this sidecar minted, or a real token tokencast
 * distributed (recognised by fingerprint among each key's recent versions, accepted only until that version's
 * {@code expiresAt}). Never logs what it is given.
 */
final class PresentedCredentials {

    private final TokenLookup lookup;
    private final Handles handles;
    private final List<GatewayConfig.Client> clients;

    /** @param handles null when gateway mode is off (then only real tokens are recognised) */
    PresentedCredentials(TokenLookup lookup, Handles handles, List<GatewayConfig.Client> clients) {
        this.lookup = lookup;
        this.handles = handles;
        this.clients = clients;
    }

    /** What a presented credential resolved to. */
    sealed interface Resolution {
        /** A key this caller may use. */
        record Key(TokenKey key, String client) implements Resolution {}

        /** Answered locally with this errcode (40014 unknown or forged, 42001 expired) and why. */
        record Refused(int errcode, String why) implements Resolution {}

        /** Neither a handle nor a token of this sidecar: someone else's credential (user OAuth tokens). */
        record Foreign() implements Resolution {}
    }

    Resolution resolve(String presented) {
        if (Handles.looksLikeHandle(presented) && handles != null) {
            Handles.Verdict verdict = handles.verify(presented, lookup.now());
            if (verdict instanceof Handles.Verdict.Valid v) {
                return scoped(v.key(), v.client());
            }
            if (verdict instanceof Handles.Verdict.Expired) {
                return new Resolution.Refused(42001, "the handle has expired; fetch a new one");
            }
            return new Resolution.Refused(40014, ((Handles.Verdict.Forged) verdict).why());
        }
        Optional<Token> token = lookup.presented(presented);
        if (token.isEmpty()) {
            return new Resolution.Foreign();
        }
        if (token.get().isExpiredAt(lookup.now())) {
            return new Resolution.Refused(42001, "this token's version has expired");
        }
        return new Resolution.Key(token.get().key(), "");
    }

    /** Whether client credentials are configured (then every handle is minted for a client). */
    boolean clientsConfigured() {
        return !clients.isEmpty();
    }

    /** The client whose secret an SDK sent; empty when none matches. */
    Optional<GatewayConfig.Client> client(String secret) {
        if (secret == null) {
            return Optional.empty();
        }
        byte[] presented = sha256Hex(secret).getBytes(StandardCharsets.US_ASCII);
        for (GatewayConfig.Client client : clients) {
            if (MessageDigest.isEqual(presented, client.secretSha256().getBytes(StandardCharsets.US_ASCII))) {
                return Optional.of(client);
            }
        }
        return Optional.empty();
    }

    private Resolution scoped(TokenKey key, String clientName) {
        if (clients.isEmpty()) {
            return new Resolution.Key(key, clientName);
        }
        Optional<GatewayConfig.Client> client =
                clients.stream().filter(c -> c.name().equals(clientName)).findFirst();
        if (client.isEmpty()) {
            return new Resolution.Refused(40014, "the handle names no configured client");
        }
        if (!client.get().reaches(key.asString())) {
            return new Resolution.Refused(40014, "key " + key + " is outside client " + clientName + "'s keys");
        }
        return new Resolution.Key(key, clientName);
    }

    static String sha256Hex(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
