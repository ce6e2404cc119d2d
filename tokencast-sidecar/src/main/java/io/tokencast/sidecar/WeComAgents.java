package io.tokencast.sidecar;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Finds the WeCom agent a request is for. WeCom's {@code gettoken} carries {@code corpid} and
 * {@code corpsecret} but no agent id: the agent is the one whose path prefix the SDK is pointed at, or the
 * one whose configured SHA-256 equals the hash of the corpsecret sent. The secret is hashed and dropped.
 */
final class WeComAgents {

    private final List<WeComAgent> agents;

    WeComAgents(List<WeComAgent> agents) {
        this.agents = List.copyOf(agents);
    }

    /** The agent whose prefix starts {@code path}, e.g. {@code /wecom/1000002/cgi-bin/gettoken}. */
    Optional<WeComAgent> byPathPrefix(String path) {
        for (WeComAgent agent : agents) {
            if (agent.pathPrefix().isPresent()) {
                String prefix = agent.pathPrefix().get();
                if (path.startsWith(prefix) && path.length() > prefix.length() && path.charAt(prefix.length()) == '/') {
                    return Optional.of(agent);
                }
            }
        }
        return Optional.empty();
    }

    /** The agent of {@code corpid} whose configured hash matches {@code corpsecret}. */
    Optional<WeComAgent> bySecret(String corpid, String corpsecret) {
        if (corpsecret == null || corpsecret.length() > 1024) {
            return Optional.empty();
        }
        byte[] hash = sha256(corpsecret);
        for (WeComAgent agent : agents) {
            if (agent.corpid().equals(corpid)
                    && agent.corpsecretSha256().isPresent()
                    && MessageDigest.isEqual(
                            hash,
                            HexFormat.of().parseHex(agent.corpsecretSha256().get()))) {
                return Optional.of(agent);
            }
        }
        return Optional.empty();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
