package io.tokencast.sidecar;

import static io.tokencast.sidecar.SettingNames.PREFIX;
import static io.tokencast.sidecar.SettingValues.bool;
import static io.tokencast.sidecar.SettingValues.duration;
import static io.tokencast.sidecar.SettingValues.integer;
import static io.tokencast.sidecar.SettingValues.size;
import static io.tokencast.sidecar.SettingValues.uri;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a {@link SidecarConfig} from, in rising precedence: a properties or YAML file, environment variables
 * ({@code TOKENCAST_SIDECAR_PORT} for {@code tokencast.sidecar.port}), and {@code --name=value} arguments.
 * Unknown {@code tokencast.sidecar.*} names are an error, so a typo never silently falls back to a default.
 * The names are {@link SettingNames}, the sources {@link SettingSources}, the parsing of each value
 * {@link SettingValues}; this class merges them and assembles the configuration.
 */
public final class ConfigLoader {

    private ConfigLoader() {}

    /** Loads from {@code --config=FILE} (or {@code TOKENCAST_SIDECAR_CONFIG}), the environment and the arguments. */
    public static SidecarConfig load(String[] args, Map<String, String> env) {
        Map<String, String> arguments = SettingSources.arguments(args);
        String file = arguments.remove("config");
        if (file == null) {
            file = env.get(SettingNames.ENV_PREFIX + "CONFIG");
        }
        Map<String, String> merged = new TreeMap<>();
        if (file != null) {
            merged.putAll(SettingSources.readFile(Path.of(file)));
        }
        merged.putAll(SettingSources.fromEnvironment(env));
        merged.putAll(arguments);
        return fromProperties(merged);
    }

    /** Builds the configuration from flat {@code tokencast.sidecar.*} properties. */
    public static SidecarConfig fromProperties(Map<String, String> properties) {
        Map<String, String> own = new TreeMap<>();
        Map<String, String> kafka = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        properties.forEach((name, value) -> {
            if (!name.startsWith(PREFIX)) {
                return;
            }
            String rest = name.substring(PREFIX.length());
            if (rest.startsWith("kafka.")) {
                kafka.put(rest.substring("kafka.".length()), value);
            } else if (SettingNames.CLIENT_KEY_ITEM.matcher(rest).matches()) {
                // A YAML list of key patterns flattens to keys[0], keys[1], …: one comma-separated value.
                Matcher m = SettingNames.CLIENT_KEY_ITEM.matcher(rest);
                m.matches();
                own.merge("gateway.clients[" + m.group(1) + "].keys", value, (a, b) -> a + "," + b);
            } else if (SettingNames.isKnown(rest)) {
                own.put(rest, value);
            } else {
                problems.add("unknown property " + name);
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems) + ". Known: " + SettingNames.known());
        }
        SidecarConfig d = SidecarConfig.defaults("unset");
        String bootstrap = own.get("bootstrap-servers");
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException(PREFIX
                    + "bootstrap-servers is required (env TOKENCAST_SIDECAR_BOOTSTRAP_SERVERS), e.g. kafka:9092");
        }
        return new SidecarConfig(
                own.getOrDefault("host", d.host()),
                integer(own, "port", 8089),
                bootstrap,
                own.getOrDefault("topic", d.topic()),
                own.getOrDefault("report-topic", d.reportTopic()),
                own.getOrDefault("consumers-topic", d.consumersTopic()),
                own.getOrDefault("client-id", d.clientId()),
                kafka,
                signatures(own),
                Optional.ofNullable(own.get("encryption-keyring"))
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .map(Path::of),
                duration(own, "stale-grace", d.staleGrace()),
                sharedToken(own),
                duration(own, "report-wait", d.reportWait()),
                duration(own, "max-wait", d.maxWait()),
                integer(own, "max-waiters", d.maxWaiters()),
                size(own, "max-body-size", d.maxBodyBytes()),
                integer(own, "threads", d.threads()),
                duration(own, "shutdown-timeout", d.shutdownTimeout()),
                agents(own),
                gateway(own));
    }

    private static GatewayConfig gateway(Map<String, String> own) {
        GatewayConfig d = GatewayConfig.disabled();
        String mediaSize = own.get("gateway.max-media-size");
        List<GatewayConfig.Client> clients = new ArrayList<>();
        byIndex(own, SettingNames.CLIENT)
                .forEach((index, fields) -> clients.add(new GatewayConfig.Client(
                        fields.get("name"),
                        fields.get("secret-sha256"),
                        fields.get("keys") == null
                                ? List.of()
                                : Arrays.stream(fields.get("keys").split(","))
                                        .map(String::strip)
                                        .filter(k -> !k.isEmpty())
                                        .toList())));
        return new GatewayConfig(
                bool(own, "gateway.enabled", d.enabled()),
                uri(own, "gateway.upstream.wechat", d.wechat()),
                uri(own, "gateway.upstream.wecom", d.wecom()),
                uri(own, "gateway.upstream.mp", d.mp()),
                uri(own, "gateway.upstream.file", d.file()),
                bool(own, "gateway.key-header", d.keyHeader()),
                duration(own, "gateway.connect-timeout", d.connectTimeout()),
                duration(own, "gateway.read-timeout", d.readTimeout()),
                mediaSize == null ? d.maxMediaBytes() : size(own, "gateway.max-media-size", 0),
                duration(own, "gateway.rotation-wait", d.rotationWait()),
                integer(own, "gateway.max-concurrent", d.maxConcurrent()),
                Optional.ofNullable(own.get("gateway.handle-key"))
                        .map(String::strip)
                        .filter(s -> !s.isEmpty()),
                Optional.ofNullable(own.get("gateway.handle-key-file"))
                        .map(Path::of)
                        .orElse(d.handleKeyFile()),
                clients);
    }

    private static SidecarConfig.Signatures signatures(Map<String, String> own) {
        String verify = own.getOrDefault("signature-verification", "true").strip();
        if (!verify.equals("true") && !verify.equals("false")) {
            throw new IllegalArgumentException(
                    PREFIX + "signature-verification must be true or false, was '" + verify + "'");
        }
        String file = own.get("refresher-keys-file");
        if (verify.equals("false")) {
            return file == null || file.isBlank()
                    ? SidecarConfig.Signatures.OFF
                    : new SidecarConfig.Signatures(Optional.of(Path.of(file.strip())), false);
        }
        if (file == null || file.isBlank()) {
            throw new IllegalArgumentException(PREFIX + "refresher-keys-file is required (env"
                    + " TOKENCAST_SIDECAR_REFRESHER_KEYS_FILE): the refresher's public JWK set, refresher.jwks.json,"
                    + " which every token must be signed with; or, only while the refresher does not sign yet, "
                    + PREFIX + "signature-verification=false");
        }
        return new SidecarConfig.Signatures(Optional.of(Path.of(file.strip())), true);
    }

    private static Optional<String> sharedToken(Map<String, String> own) {
        String inline = own.get("shared-token");
        String file = own.get("shared-token-file");
        if (inline != null && file != null) {
            throw new IllegalArgumentException(PREFIX + "shared-token and shared-token-file are exclusive");
        }
        if (file != null) {
            try {
                return Optional.of(Files.readString(Path.of(file)).strip());
            } catch (IOException e) {
                throw new IllegalArgumentException(PREFIX + "shared-token-file " + file + " cannot be read: " + e);
            }
        }
        return Optional.ofNullable(inline).map(String::strip).filter(s -> !s.isEmpty());
    }

    private static List<WeComAgent> agents(Map<String, String> own) {
        List<WeComAgent> agents = new ArrayList<>();
        byIndex(own, SettingNames.AGENT)
                .forEach((index, fields) -> agents.add(new WeComAgent(
                        fields.get("corpid"),
                        fields.get("agentid"),
                        Optional.ofNullable(fields.get("path-prefix")),
                        Optional.ofNullable(fields.get("corpsecret-sha256")))));
        return agents;
    }

    /** The fields of a list setting ({@code wecom.agents[i].field}), by index then field, in index order. */
    private static Map<Integer, Map<String, String>> byIndex(Map<String, String> own, Pattern item) {
        Map<Integer, Map<String, String>> byIndex = new TreeMap<>();
        own.forEach((name, value) -> {
            Matcher m = item.matcher(name);
            if (m.matches()) {
                byIndex.computeIfAbsent(Integer.parseInt(m.group(1)), i -> new TreeMap<>())
                        .put(m.group(2), value);
            }
        });
        return byIndex;
    }
}
