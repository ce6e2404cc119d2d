package io.tokencast.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void readsYamlThenLetsTheEnvironmentAndArgumentsOverrideIt() throws Exception {
        Path file = dir.resolve("sidecar.yml");
        Files.writeString(
                file,
                """
                tokencast:
                  sidecar:
                    bootstrap-servers: kafka-1:9092
                    refresher-keys-file: /etc/tokencast/refresher.jwks.json
                    encryption-keyring: /etc/tokencast/service.keyring.json
                    port: 9001
                    max-wait: 45s
                    kafka:
                      security.protocol: SSL
                    wecom:
                      agents:
                        - corpid: ww0001
                          agentid: "1000002"
                          path-prefix: /wecom/1000002
                """);

        SidecarConfig config = ConfigLoader.load(
                new String[] {"--config=" + file, "--tokencast.sidecar.threads=8"},
                Map.of(
                        "TOKENCAST_SIDECAR_PORT",
                        "9002",
                        "TOKENCAST_SIDECAR_REPORT_WAIT",
                        "2s",
                        "TOKENCAST_SIDECAR_CONSUMERS_TOPIC",
                        "fleet.consumers",
                        "PATH",
                        "/bin"));

        assertThat(config.bootstrapServers()).isEqualTo("kafka-1:9092");
        assertThat(config.port()).isEqualTo(9002);
        assertThat(config.threads()).isEqualTo(8);
        assertThat(config.maxWait()).isEqualTo(Duration.ofSeconds(45));
        assertThat(config.reportWait()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.kafka()).containsEntry("security.protocol", "SSL");
        assertThat(config.reportTopic()).isEqualTo("tokencast.token-reports");
        assertThat(config.consumersTopic()).isEqualTo("fleet.consumers");
        assertThat(config.encryptionKeyring()).contains(Path.of("/etc/tokencast/service.keyring.json"));
        assertThat(config.signatures().verify()).isTrue();
        assertThat(config.signatures().refresherKeysFile()).contains(Path.of("/etc/tokencast/refresher.jwks.json"));
        assertThat(config.wecomAgents()).singleElement().satisfies(agent -> {
            assertThat(agent.key().asString()).isEqualTo("wecom-access-token/ww0001.1000002");
            assertThat(agent.pathPrefix()).contains("/wecom/1000002");
        });
    }

    @Test
    void readsGatewayModeWithItsUpstreamsAndClients() throws Exception {
        Path file = dir.resolve("gateway.yml");
        String hash = "a".repeat(64);
        Files.writeString(
                file,
                """
                tokencast:
                  sidecar:
                    bootstrap-servers: kafka-1:9092
                    refresher-keys-file: /etc/tokencast/refresher.jwks.json
                    gateway:
                      enabled: true
                      upstream:
                        wechat: http://wechat-sandbox:8080
                      read-timeout: 10s
                      max-media-size: 30MB
                      handle-key-file: /var/lib/tokencast/handle.key
                      clients:
                        - name: shop
                          secret-sha256: %s
                          keys:
                            - wechat-access-token/wx1*
                            - wecom-access-token/ww1.*
                """
                        .formatted(hash));

        SidecarConfig config = ConfigLoader.load(
                new String[] {"--config=" + file}, Map.of("TOKENCAST_SIDECAR_GATEWAY_ROTATION_WAIT", "2s"));

        GatewayConfig gateway = config.gateway();
        assertThat(gateway.enabled()).isTrue();
        assertThat(gateway.wechat()).hasToString("http://wechat-sandbox:8080");
        assertThat(gateway.wecom()).hasToString("https://qyapi.weixin.qq.com");
        assertThat(gateway.readTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(gateway.rotationWait()).isEqualTo(Duration.ofSeconds(2));
        assertThat(gateway.maxMediaBytes()).isEqualTo(30L * 1024 * 1024);
        assertThat(gateway.handleKeyFile()).isEqualTo(Path.of("/var/lib/tokencast/handle.key"));
        assertThat(gateway.clients()).singleElement().satisfies(client -> {
            assertThat(client.reaches("wechat-access-token/wx123")).isTrue();
            assertThat(client.reaches("wechat-access-token/wx2")).isFalse();
            assertThat(client.reaches("wecom-access-token/ww1.1000002")).isTrue();
        });
        assertThat(ConfigLoader.fromProperties(Map.of(
                                "tokencast.sidecar.bootstrap-servers",
                                "k:9092",
                                "tokencast.sidecar.refresher-keys-file",
                                "/k.json"))
                        .gateway()
                        .enabled())
                .as("off by default")
                .isFalse();
        assertThat(gateway.toString()).doesNotContain(hash);
    }

    @Test
    void readsPropertiesFilesAndWeComAgentsFromTheEnvironment() throws Exception {
        Path file = dir.resolve("sidecar.properties");
        Files.writeString(
                file,
                "tokencast.sidecar.bootstrap-servers=k:9092\ntokencast.sidecar.max-body-size=32KB\n"
                        + "tokencast.sidecar.signature-verification=false\n");
        String hash = "a".repeat(64);

        SidecarConfig config = ConfigLoader.load(
                new String[0],
                Map.of(
                        "TOKENCAST_SIDECAR_CONFIG",
                        file.toString(),
                        "TOKENCAST_SIDECAR_WECOM_AGENTS_0_CORPID",
                        "ww2",
                        "TOKENCAST_SIDECAR_WECOM_AGENTS_0_AGENTID",
                        "7",
                        "TOKENCAST_SIDECAR_WECOM_AGENTS_0_CORPSECRET_SHA256",
                        hash.toUpperCase()));

        assertThat(config.maxBodyBytes()).isEqualTo(32 * 1024);
        assertThat(config.signatures()).isEqualTo(SidecarConfig.Signatures.OFF);
        assertThat(config.wecomAgents()).singleElement().satisfies(agent -> assertThat(agent.corpsecretSha256())
                .contains(hash));
    }

    @Test
    void refusesTyposMissingKafkaAndSecretsWhereAHashBelongs() {
        assertThatThrownBy(() -> ConfigLoader.fromProperties(Map.of(
                        "tokencast.sidecar.bootstrap-servers",
                        "k:9092",
                        "tokencast.sidecar.signature-verification",
                        "false",
                        "tokencast.sidecar.prot",
                        "1")))
                .hasMessageContaining("unknown property tokencast.sidecar.prot");
        assertThatThrownBy(() -> ConfigLoader.fromProperties(Map.of()))
                .hasMessageContaining("bootstrap-servers is required");
        assertThatThrownBy(() -> ConfigLoader.load(new String[0], Map.of("TOKENCAST_SIDECAR_PROT", "1")))
                .hasMessageContaining("TOKENCAST_SIDECAR_PROT");
        assertThatThrownBy(() -> new WeComAgent("ww1", "1", Optional.empty(), Optional.of("my-secret")))
                .hasMessageContaining("64 hex digits")
                .hasMessageNotContaining("my-secret");
        assertThatThrownBy(() -> SidecarConfig.defaults("k:9092").withSharedToken("short"))
                .hasMessageContaining("at least 16");
        assertThatThrownBy(() -> ConfigLoader.fromProperties(Map.of(
                        "tokencast.sidecar.bootstrap-servers",
                        "k:9092",
                        "tokencast.sidecar.signature-verification",
                        "false",
                        "tokencast.sidecar.max-wait",
                        "soon")))
                .hasMessageContaining("max-wait must be a duration");
    }

    @Test
    void refusesToVerifyWithoutTheRefreshersKeysAndKeysWithVerificationOff() {
        assertThatThrownBy(() -> ConfigLoader.fromProperties(Map.of("tokencast.sidecar.bootstrap-servers", "k:9092")))
                .hasMessageContaining("refresher-keys-file is required")
                .hasMessageContaining("signature-verification=false");
        assertThatThrownBy(() -> ConfigLoader.fromProperties(Map.of(
                        "tokencast.sidecar.bootstrap-servers",
                        "k:9092",
                        "tokencast.sidecar.refresher-keys-file",
                        "/k.json",
                        "tokencast.sidecar.signature-verification",
                        "false")))
                .hasMessageContaining("remove one of the two");
    }

    @Test
    void neverPrintsTheSharedToken() {
        SidecarConfig config = SidecarConfig.defaults("k:9092").withSharedToken("do-not-print-this-token");

        assertThat(config.toString()).doesNotContain("do-not-print-this-token").contains("sharedToken=<set>");
    }
}
