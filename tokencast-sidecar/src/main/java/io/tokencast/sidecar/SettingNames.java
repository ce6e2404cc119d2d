package io.tokencast.sidecar;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every name a sidecar setting can have, as a property ({@code tokencast.sidecar.gateway.max-concurrent}) and as
 * an environment variable ({@code TOKENCAST_SIDECAR_GATEWAY_MAX_CONCURRENT}). One list for both, so that a
 * setting added here can be given either way and a name not here is refused, never silently ignored.
 */
final class SettingNames {

    static final String PREFIX = "tokencast.sidecar.";
    static final String ENV_PREFIX = "TOKENCAST_SIDECAR_";

    private static final Set<String> SCALARS = Set.of(
            "host",
            "port",
            "bootstrap-servers",
            "topic",
            "report-topic",
            "consumers-topic",
            "client-id",
            "refresher-keys-file",
            "signature-verification",
            "encryption-keyring",
            "stale-grace",
            "shared-token",
            "shared-token-file",
            "report-wait",
            "max-wait",
            "max-waiters",
            "max-body-size",
            "threads",
            "shutdown-timeout",
            "gateway.enabled",
            "gateway.upstream.wechat",
            "gateway.upstream.wecom",
            "gateway.upstream.mp",
            "gateway.upstream.file",
            "gateway.key-header",
            "gateway.connect-timeout",
            "gateway.read-timeout",
            "gateway.max-media-size",
            "gateway.rotation-wait",
            "gateway.max-concurrent",
            "gateway.handle-key",
            "gateway.handle-key-file");
    private static final Set<String> CLIENT_FIELDS = Set.of("name", "secret-sha256", "keys");
    /** {@code gateway.clients[i].field}: group 1 the index, group 2 the field. */
    static final Pattern CLIENT = Pattern.compile("gateway\\.clients\\[(\\d{1,3})]\\.([a-z0-9-]+)");
    /** {@code gateway.clients[i].keys[j]}, a YAML list flattened: group 1 the client's index. */
    static final Pattern CLIENT_KEY_ITEM = Pattern.compile("gateway\\.clients\\[(\\d{1,3})]\\.keys\\[\\d{1,3}]");

    private static final Pattern ENV_CLIENT = Pattern.compile("GATEWAY_CLIENTS_(\\d{1,3})_([A-Z0-9_]+)");
    private static final Set<String> AGENT_FIELDS = Set.of("corpid", "agentid", "path-prefix", "corpsecret-sha256");
    /** {@code wecom.agents[i].field}: group 1 the index, group 2 the field. */
    static final Pattern AGENT = Pattern.compile("wecom\\.agents\\[(\\d{1,3})]\\.([a-z0-9-]+)");

    private static final Pattern ENV_AGENT = Pattern.compile("WECOM_AGENTS_(\\d{1,3})_([A-Z0-9_]+)");

    private SettingNames() {}

    /** Whether {@code rest}, a property name without the prefix and not under {@code kafka.}, is a setting. */
    static boolean isKnown(String rest) {
        return SCALARS.contains(rest) || isAgentField(rest) || isClientField(rest);
    }

    /** What {@link #isKnown} accepts, for the message that refuses an unknown name. */
    static String known() {
        return PREFIX + SCALARS + ", " + PREFIX + "kafka.*, " + PREFIX + "wecom.agents[i]." + AGENT_FIELDS + ", "
                + PREFIX + "gateway.clients[i]." + CLIENT_FIELDS;
    }

    /**
     * The property named by environment variable {@code name}'s part after the prefix ({@code MAX_WAIT} →
     * {@code tokencast.sidecar.max-wait}); empty when it names no setting.
     */
    static Optional<String> fromEnvironment(String rest) {
        String scalar = kebab(rest);
        Matcher agent = ENV_AGENT.matcher(rest);
        Matcher gatewayClient = ENV_CLIENT.matcher(rest);
        String gatewayScalar = scalar.startsWith("gateway-upstream-")
                ? "gateway.upstream." + scalar.substring("gateway-upstream-".length())
                : scalar.startsWith("gateway-") ? "gateway." + scalar.substring("gateway-".length()) : null;
        if (SCALARS.contains(scalar)) {
            return Optional.of(PREFIX + scalar);
        } else if (gatewayScalar != null && SCALARS.contains(gatewayScalar)) {
            return Optional.of(PREFIX + gatewayScalar);
        } else if (gatewayClient.matches() && CLIENT_FIELDS.contains(kebab(gatewayClient.group(2)))) {
            return Optional.of(
                    PREFIX + "gateway.clients[" + gatewayClient.group(1) + "]." + kebab(gatewayClient.group(2)));
        } else if (agent.matches() && AGENT_FIELDS.contains(kebab(agent.group(2)))) {
            return Optional.of(PREFIX + "wecom.agents[" + agent.group(1) + "]." + kebab(agent.group(2)));
        }
        return Optional.empty();
    }

    private static String kebab(String envName) {
        return envName.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static boolean isClientField(String rest) {
        Matcher m = CLIENT.matcher(rest);
        return m.matches() && CLIENT_FIELDS.contains(m.group(2));
    }

    private static boolean isAgentField(String rest) {
        Matcher m = AGENT.matcher(rest);
        return m.matches() && AGENT_FIELDS.contains(m.group(2));
    }
}
