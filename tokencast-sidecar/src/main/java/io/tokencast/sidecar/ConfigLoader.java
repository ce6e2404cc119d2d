package io.tokencast.sidecar;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Builds a {@link SidecarConfig} from, in rising precedence: a properties or YAML file, environment variables
 * ({@code TOKENCAST_SIDECAR_PORT} for {@code tokencast.sidecar.port}), and {@code --name=value} arguments.
 * Unknown {@code tokencast.sidecar.*} names are an error, so a typo never silently falls back to a default.
 */
public final class ConfigLoader {

    static final String PREFIX = "tokencast.sidecar.";
    private static final String ENV_PREFIX = "TOKENCAST_SIDECAR_";
    private static final long MAX_FILE_BYTES = 1024 * 1024;

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
    private static final Pattern CLIENT = Pattern.compile("gateway\\.clients\\[(\\d{1,3})]\\.([a-z0-9-]+)");
    private static final Pattern CLIENT_KEY_ITEM =
            Pattern.compile("gateway\\.clients\\[(\\d{1,3})]\\.keys\\[\\d{1,3}]");
    private static final Pattern ENV_CLIENT = Pattern.compile("GATEWAY_CLIENTS_(\\d{1,3})_([A-Z0-9_]+)");
    private static final Set<String> AGENT_FIELDS = Set.of("corpid", "agentid", "path-prefix", "corpsecret-sha256");
    private static final Pattern AGENT = Pattern.compile("wecom\\.agents\\[(\\d{1,3})]\\.([a-z0-9-]+)");
    private static final Pattern ENV_AGENT = Pattern.compile("WECOM_AGENTS_(\\d{1,3})_([A-Z0-9_]+)");

    private ConfigLoader() {}

    /** Loads from {@code --config=FILE} (or {@code TOKENCAST_SIDECAR_CONFIG}), the environment and the arguments. */
    public static SidecarConfig load(String[] args, Map<String, String> env) {
        Map<String, String> arguments = arguments(args);
        String file = arguments.remove("config");
        if (file == null) {
            file = env.get(ENV_PREFIX + "CONFIG");
        }
        Map<String, String> merged = new TreeMap<>();
        if (file != null) {
            merged.putAll(readFile(Path.of(file)));
        }
        merged.putAll(fromEnvironment(env));
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
            } else if (CLIENT_KEY_ITEM.matcher(rest).matches()) {
                // A YAML list of key patterns flattens to keys[0], keys[1], …: one comma-separated value.
                Matcher m = CLIENT_KEY_ITEM.matcher(rest);
                m.matches();
                own.merge("gateway.clients[" + m.group(1) + "].keys", value, (a, b) -> a + "," + b);
            } else if (SCALARS.contains(rest) || isAgentField(rest) || isClientField(rest)) {
                own.put(rest, value);
            } else {
                problems.add("unknown property " + name);
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems) + ". Known: " + PREFIX + SCALARS + ", "
                    + PREFIX + "kafka.*, " + PREFIX + "wecom.agents[i]." + AGENT_FIELDS + ", " + PREFIX
                    + "gateway.clients[i]." + CLIENT_FIELDS);
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

    private static boolean isClientField(String rest) {
        Matcher m = CLIENT.matcher(rest);
        return m.matches() && CLIENT_FIELDS.contains(m.group(2));
    }

    private static GatewayConfig gateway(Map<String, String> own) {
        GatewayConfig d = GatewayConfig.disabled();
        String mediaSize = own.get("gateway.max-media-size");
        Map<Integer, Map<String, String>> byIndex = new TreeMap<>();
        own.forEach((name, value) -> {
            Matcher m = CLIENT.matcher(name);
            if (m.matches()) {
                byIndex.computeIfAbsent(Integer.parseInt(m.group(1)), i -> new TreeMap<>())
                        .put(m.group(2), value);
            }
        });
        List<GatewayConfig.Client> clients = new ArrayList<>();
        byIndex.forEach((index, fields) -> clients.add(new GatewayConfig.Client(
                fields.get("name"),
                fields.get("secret-sha256"),
                fields.get("keys") == null
                        ? List.of()
                        : java.util.Arrays.stream(fields.get("keys").split(","))
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

    private static boolean bool(Map<String, String> own, String name, boolean fallback) {
        String value = own.get(name);
        if (value == null) {
            return fallback;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(
                    PREFIX + name + " must be true or false, was '" + value + "'");
        };
    }

    private static java.net.URI uri(Map<String, String> own, String name, java.net.URI fallback) {
        String value = own.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return java.net.URI.create(value.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PREFIX + name + " must be a URL like https://api.weixin.qq.com");
        }
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

    private static boolean isAgentField(String rest) {
        Matcher m = AGENT.matcher(rest);
        return m.matches() && AGENT_FIELDS.contains(m.group(2));
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

    private static List<SidecarConfig.WeComAgent> agents(Map<String, String> own) {
        Map<Integer, Map<String, String>> byIndex = new TreeMap<>();
        own.forEach((name, value) -> {
            Matcher m = AGENT.matcher(name);
            if (m.matches()) {
                byIndex.computeIfAbsent(Integer.parseInt(m.group(1)), i -> new TreeMap<>())
                        .put(m.group(2), value);
            }
        });
        List<SidecarConfig.WeComAgent> agents = new ArrayList<>();
        byIndex.forEach((index, fields) -> agents.add(new SidecarConfig.WeComAgent(
                fields.get("corpid"),
                fields.get("agentid"),
                Optional.ofNullable(fields.get("path-prefix")),
                Optional.ofNullable(fields.get("corpsecret-sha256")))));
        return agents;
    }

    static Map<String, String> arguments(String[] args) {
        Map<String, String> out = new TreeMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || arg.indexOf('=') < 3) {
                throw new IllegalArgumentException(
                        "argument '" + arg + "' is not --name=value (e.g. --config=sidecar.yml)");
            }
            int eq = arg.indexOf('=');
            out.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        return out;
    }

    /** {@code TOKENCAST_SIDECAR_MAX_WAIT} → {@code tokencast.sidecar.max-wait}; Kafka extras go in the file. */
    static Map<String, String> fromEnvironment(Map<String, String> env) {
        Map<String, String> out = new TreeMap<>();
        Set<String> unknown = new TreeSet<>();
        env.forEach((name, value) -> {
            if (!name.startsWith(ENV_PREFIX) || name.equals(ENV_PREFIX + "CONFIG")) {
                return;
            }
            String rest = name.substring(ENV_PREFIX.length());
            String scalar = rest.toLowerCase(Locale.ROOT).replace('_', '-');
            Matcher agent = ENV_AGENT.matcher(rest);
            Matcher gatewayClient = ENV_CLIENT.matcher(rest);
            String gatewayScalar = scalar.startsWith("gateway-upstream-")
                    ? "gateway.upstream." + scalar.substring("gateway-upstream-".length())
                    : scalar.startsWith("gateway-") ? "gateway." + scalar.substring("gateway-".length()) : null;
            if (SCALARS.contains(scalar)) {
                out.put(PREFIX + scalar, value);
            } else if (gatewayScalar != null && SCALARS.contains(gatewayScalar)) {
                out.put(PREFIX + gatewayScalar, value);
            } else if (gatewayClient.matches()
                    && CLIENT_FIELDS.contains(
                            gatewayClient.group(2).toLowerCase(Locale.ROOT).replace('_', '-'))) {
                out.put(
                        PREFIX + "gateway.clients[" + gatewayClient.group(1) + "]."
                                + gatewayClient
                                        .group(2)
                                        .toLowerCase(Locale.ROOT)
                                        .replace('_', '-'),
                        value);
            } else if (agent.matches()
                    && AGENT_FIELDS.contains(
                            agent.group(2).toLowerCase(Locale.ROOT).replace('_', '-'))) {
                out.put(
                        PREFIX + "wecom.agents[" + agent.group(1) + "]."
                                + agent.group(2).toLowerCase(Locale.ROOT).replace('_', '-'),
                        value);
            } else {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown environment variables " + unknown
                    + "; see the sidecar's configuration table in the README");
        }
        return out;
    }

    static Map<String, String> readFile(Path file) {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new IllegalArgumentException("configuration file " + file + " is larger than 1 MB");
            }
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".yml") || name.endsWith(".yaml")) {
                Map<String, String> out = new TreeMap<>();
                JsonNode root = YAMLMapper.builder().build().readTree(file.toFile());
                flatten("", root, out);
                return out;
            }
            Properties properties = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                properties.load(in);
            }
            Map<String, String> out = new TreeMap<>();
            properties.stringPropertyNames().forEach(n -> out.put(n, properties.getProperty(n)));
            return out;
        } catch (IOException e) {
            throw new IllegalArgumentException("configuration file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static void flatten(String path, JsonNode node, Map<String, String> out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return;
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                flatten(path.isEmpty() ? field.getKey() : path + "." + field.getKey(), field.getValue(), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(path + "[" + i + "]", node.get(i), out);
            }
        } else {
            out.put(path, node.asString());
        }
    }

    private static int integer(Map<String, String> own, String name, int fallback) {
        String value = own.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PREFIX + name + " must be a whole number, was '" + value + "'");
        }
    }

    /** {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h} or ISO-8601 {@code PT30S}. */
    static Duration duration(Map<String, String> own, String name, Duration fallback) {
        String value = own.get(name);
        if (value == null) {
            return fallback;
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("pt")) {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new NumberFormatException(v);
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(
                    PREFIX + name + " must be a duration like 250ms, 30s, 5m or PT30S, was '" + value + "'");
        }
    }

    /** {@code 65536}, {@code 64KB} or {@code 1MB}. */
    static int size(Map<String, String> own, String name, int fallback) {
        String value = own.get(name);
        if (value == null) {
            return fallback;
        }
        String v = value.strip().toUpperCase(Locale.ROOT);
        try {
            if (v.endsWith("KB")) {
                return Math.toIntExact(
                        Long.parseLong(v.substring(0, v.length() - 2).strip()) * 1024);
            }
            if (v.endsWith("MB")) {
                return Math.toIntExact(
                        Long.parseLong(v.substring(0, v.length() - 2).strip()) * 1024 * 1024);
            }
            return Integer.parseInt(v.endsWith("B") ? v.substring(0, v.length() - 1) : v);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(
                    PREFIX + name + " must be a size like 65536, 64KB or 1MB, was '" + value + "'");
        }
    }
}
