package io.tokencast.sidecar;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Where a sidecar's settings come from: a properties or YAML file, environment variables and
 * {@code --name=value} arguments, each turned into flat {@code tokencast.sidecar.*} properties for
 * {@link ConfigLoader} to merge. Apart from the loader because each source has its own syntax and its own way
 * of being wrong, and each is refused with a message that says which.
 */
final class SettingSources {

    private static final long MAX_FILE_BYTES = 1024 * 1024;

    private SettingSources() {}

    /** {@code --name=value} arguments by name, without the dashes. */
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
            if (!name.startsWith(SettingNames.ENV_PREFIX) || name.equals(SettingNames.ENV_PREFIX + "CONFIG")) {
                return;
            }
            Optional<String> property = SettingNames.fromEnvironment(name.substring(SettingNames.ENV_PREFIX.length()));
            if (property.isPresent()) {
                out.put(property.get(), value);
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

    /** A properties file, or a YAML file ({@code .yml}, {@code .yaml}) flattened to dotted names. */
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
}
