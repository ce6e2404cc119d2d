package io.tokencast.sidecar;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Gateway mode (docs/design.md §5.6, gateway mode): the sidecar forwards every WeChat API call that is not a token
 * endpoint to WeChat, putting the fleet's current token in it, and its token endpoints answer handles instead
 * of tokens. Off by default; {@link #toString()} never prints the handle key.
 *
 * @param enabled forward business calls and answer handles
 * @param wechat the upstream of WeChat kinds (official accounts, mini programs, open platform)
 * @param wecom the upstream of WeCom kinds
 * @param mp the upstream of the {@code mp.weixin.qq.com} paths (see {@link GatewayRoutes})
 * @param file the upstream of the {@code file.api.weixin.qq.com} paths (see {@link GatewayRoutes})
 * @param keyHeader whether {@code X-Tokencast-Key: <kind>/<account>} may name the account
 * @param connectTimeout how long connecting to an upstream may take
 * @param readTimeout how long an upstream may stay silent (waiting for its answer or within its body)
 * @param maxMediaBytes the largest request body forwarded (media uploads); larger ones are refused
 * @param rotationWait how long a call refused for its token waits for the next token before its one retry
 * @param maxConcurrent calls forwarded at once; more are answered -1 (busy) at once
 * @param handleKey the handle key, base64 (at least 32 bytes); when absent, {@code handleKeyFile} holds it
 * @param handleKeyFile where the handle key is read from, or generated into (mode 0600) at first start
 * @param clients optional client credentials; when any is configured, every handle names its client
 */
public record GatewayConfig(
        boolean enabled,
        URI wechat,
        URI wecom,
        URI mp,
        URI file,
        boolean keyHeader,
        Duration connectTimeout,
        Duration readTimeout,
        long maxMediaBytes,
        Duration rotationWait,
        int maxConcurrent,
        Optional<String> handleKey,
        Path handleKeyFile,
        List<Client> clients) {

    /** Request bodies up to this size are kept so a call refused for its token can be replayed once. */
    public static final int REPLAY_BYTES = 1024 * 1024;
    /** JSON answers up to this size are read for their errcode; larger ones stream through unread. */
    public static final int INSPECT_BYTES = 64 * 1024;

    public GatewayConfig {
        for (URI upstream : List.of(
                Objects.requireNonNull(wechat, "wechat"),
                Objects.requireNonNull(wecom, "wecom"),
                Objects.requireNonNull(mp, "mp"),
                Objects.requireNonNull(file, "file"))) {
            if (!("https".equals(upstream.getScheme()) || "http".equals(upstream.getScheme()))
                    || upstream.getHost() == null
                    || (upstream.getRawPath() != null && !upstream.getRawPath().isEmpty())
                    || upstream.getRawQuery() != null) {
                throw new IllegalArgumentException("tokencast.sidecar.gateway upstreams must be a scheme and a host"
                        + " (and port), like https://api.weixin.qq.com; was " + upstream);
            }
        }
        requireBetween(connectTimeout, "connect-timeout", Duration.ofMillis(10), Duration.ofMinutes(1));
        requireBetween(readTimeout, "read-timeout", Duration.ofMillis(10), Duration.ofMinutes(10));
        requireBetween(rotationWait, "rotation-wait", Duration.ZERO, Duration.ofMinutes(1));
        if (maxMediaBytes < REPLAY_BYTES || maxMediaBytes > 1024L * 1024 * 1024) {
            throw new IllegalArgumentException(
                    "tokencast.sidecar.gateway.max-media-size must be 1MB..1GB, was " + maxMediaBytes + " bytes");
        }
        if (maxConcurrent < 1 || maxConcurrent > 10_000) {
            throw new IllegalArgumentException(
                    "tokencast.sidecar.gateway.max-concurrent must be 1..10000, was " + maxConcurrent);
        }
        Objects.requireNonNull(handleKey, "handleKey");
        Objects.requireNonNull(handleKeyFile, "handleKeyFile");
        clients = List.copyOf(clients);
        for (int i = 0; i < clients.size(); i++) {
            for (int j = i + 1; j < clients.size(); j++) {
                if (clients.get(i).name().equals(clients.get(j).name())
                        || clients.get(i).secretSha256().equals(clients.get(j).secretSha256())) {
                    throw new IllegalArgumentException("tokencast.sidecar.gateway.clients[" + i + "] and [" + j
                            + "] share a name or a secret; each client is its own");
                }
            }
        }
    }

    /** Off: the sidecar serves tokens only, as before gateway mode existed. */
    public static GatewayConfig disabled() {
        return new GatewayConfig(
                false,
                URI.create("https://api.weixin.qq.com"),
                URI.create("https://qyapi.weixin.qq.com"),
                URI.create("https://mp.weixin.qq.com"),
                URI.create("https://file.api.weixin.qq.com"),
                true,
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                20L * 1024 * 1024,
                Duration.ofSeconds(5),
                256,
                Optional.empty(),
                Path.of("tokencast-sidecar-handle.key"),
                List.of());
    }

    /** On, with every upstream at {@code upstream} (the WeChat sandbox in tests) and the handle key in a file. */
    public static GatewayConfig towards(URI upstream, Path handleKeyFile) {
        GatewayConfig d = disabled();
        return new GatewayConfig(
                true,
                upstream,
                upstream,
                upstream,
                upstream,
                d.keyHeader,
                d.connectTimeout,
                d.readTimeout,
                d.maxMediaBytes,
                d.rotationWait,
                d.maxConcurrent,
                Optional.empty(),
                handleKeyFile,
                List.of());
    }

    public GatewayConfig withTimeouts(Duration connect, Duration read, Duration rotation) {
        return new GatewayConfig(
                enabled,
                wechat,
                wecom,
                mp,
                file,
                keyHeader,
                connect,
                read,
                maxMediaBytes,
                rotation,
                maxConcurrent,
                handleKey,
                handleKeyFile,
                clients);
    }

    public GatewayConfig withMaxMediaBytes(long max) {
        return new GatewayConfig(
                enabled,
                wechat,
                wecom,
                mp,
                file,
                keyHeader,
                connectTimeout,
                readTimeout,
                max,
                rotationWait,
                maxConcurrent,
                handleKey,
                handleKeyFile,
                clients);
    }

    public GatewayConfig withClients(List<Client> newClients) {
        return new GatewayConfig(
                enabled,
                wechat,
                wecom,
                mp,
                file,
                keyHeader,
                connectTimeout,
                readTimeout,
                maxMediaBytes,
                rotationWait,
                maxConcurrent,
                handleKey,
                handleKeyFile,
                newClients);
    }

    @Override
    public String toString() {
        return "GatewayConfig[enabled=" + enabled + ", wechat=" + wechat + ", wecom=" + wecom + ", mp=" + mp
                + ", file=" + file + ", keyHeader=" + keyHeader + ", connectTimeout=" + connectTimeout
                + ", readTimeout=" + readTimeout + ", maxMediaBytes=" + maxMediaBytes + ", rotationWait="
                + rotationWait + ", maxConcurrent=" + maxConcurrent + ", handleKey="
                + (handleKey.isPresent() ? "<set>" : "file " + handleKeyFile) + ", clients=" + clients + "]";
    }

    /**
     * A client of the gateway: the {@code secret} an unmodified SDK sends to the token endpoints (never a real
     * AppSecret), known here only by its SHA-256, and the token keys its handles may reach.
     *
     * @param keyPatterns token keys, {@code *} matching any run of characters: {@code wechat-access-token/wx1*}
     */
    public record Client(String name, String secretSha256, List<String> keyPatterns) {

        public Client {
            if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException(
                        "tokencast.sidecar.gateway.clients[].name must be 1-64 of [A-Za-z0-9._-], was " + name);
            }
            String lower = secretSha256 == null ? "" : secretSha256.strip().toLowerCase(Locale.ROOT);
            if (!lower.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("tokencast.sidecar.gateway.clients[" + name
                        + "].secret-sha256 must be 64 hex digits (sha256sum of the secret), not the secret");
            }
            secretSha256 = lower;
            keyPatterns = List.copyOf(keyPatterns);
            if (keyPatterns.isEmpty()) {
                throw new IllegalArgumentException(
                        "tokencast.sidecar.gateway.clients[" + name + "].keys must name at least one key pattern");
            }
        }

        boolean reaches(String tokenKey) {
            for (String pattern : keyPatterns) {
                String regex = Pattern.quote(pattern).replace("*", "\\E.*\\Q");
                if (tokenKey.matches(regex)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return name + " keys=" + keyPatterns;
        }
    }

    private static void requireBetween(Duration value, String name, Duration min, Duration max) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(
                    "tokencast.sidecar.gateway." + name + " must be " + min + ".." + max + ", was " + value);
        }
    }
}
