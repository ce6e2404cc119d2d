package io.tokencast.sidecar;

import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One WeCom application. WeCom's {@code gettoken} sends {@code corpid} and {@code corpsecret} but no agent
 * id, so the sidecar recognises the agent by the path prefix its SDK is pointed at, or by the SHA-256 of
 * the corpsecret that SDK sends; the secret itself is never configured here. {@link WeComAgents} finds the
 * agent of a call.
 *
 * @param pathPrefix e.g. {@code /wecom/1000002}: an SDK with base URL {@code http://127.0.0.1:8089/wecom/1000002}
 * @param corpsecretSha256 64 lowercase hex digits
 */
public record WeComAgent(
        String corpid, String agentid, Optional<String> pathPrefix, Optional<String> corpsecretSha256) {

    public WeComAgent {
        SidecarConfig.requireText(corpid, "wecom.agents[].corpid");
        SidecarConfig.requireText(agentid, "wecom.agents[].agentid");
        key(corpid, agentid); // validates the pair as a token key
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        Objects.requireNonNull(corpsecretSha256, "corpsecretSha256");
        if (pathPrefix.isEmpty() && corpsecretSha256.isEmpty()) {
            throw new IllegalArgumentException("WeCom agent " + corpid + "." + agentid
                    + " needs a path-prefix or a corpsecret-sha256, or gettoken could never pick it");
        }
        pathPrefix.ifPresent(prefix -> {
            if (!prefix.matches("(/[A-Za-z0-9._~-]+)+") || prefix.startsWith("/cgi-bin") || prefix.startsWith("/v1")) {
                throw new IllegalArgumentException("WeCom agent " + corpid + "." + agentid + " path-prefix '" + prefix
                        + "' must look like /wecom/1000002 and must not start with /cgi-bin or /v1");
            }
        });
        corpsecretSha256 = corpsecretSha256.map(hex -> {
            String lower = hex.strip().toLowerCase(Locale.ROOT);
            if (lower.length() != 64 || !lower.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new IllegalArgumentException("WeCom agent " + corpid + "." + agentid
                        + " corpsecret-sha256 must be 64 hex digits (sha256sum of the secret), not the secret");
            }
            HexFormat.of().parseHex(lower);
            return lower;
        });
    }

    public TokenKey key() {
        return key(corpid, agentid);
    }

    private static TokenKey key(String corpid, String agentid) {
        return TokenKey.of(TokenKind.WECOM_ACCESS_TOKEN, corpid + "." + agentid);
    }

    @Override
    public String toString() {
        return corpid + "." + agentid + pathPrefix.map(p -> " prefix=" + p).orElse("")
                + corpsecretSha256
                        .map(h -> " secretHash=" + h.substring(0, 8) + "…")
                        .orElse("");
    }
}
