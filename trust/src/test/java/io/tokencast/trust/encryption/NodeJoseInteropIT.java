package io.tokencast.trust.encryption;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.schema.CredentialKind;
import io.tokencast.schema.CredentialSource;
import io.tokencast.schema.CredentialStored;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.schema.TokencastEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Records encrypted by the Java side decrypt with node's {@code jose} (installed by the build into
 * {@code target/node-interop}): the envelope is standard compact JWE, not a private format.
 */
class NodeJoseInteropIT {

    private static final Path NODE_DIR = Path.of("target", "node-interop");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant ISSUED = Instant.parse("2026-12-07T08:00:00Z");

    private final EncryptionKeyring keyring = EncryptionKeyring.generate(
            "interop-2026-12", List.of("wechat-access-token/*", "wecom-access-token/*", "component-ticket/*"));
    private final RecordEncryption encryption = RecordEncryption.with(keyring);

    @Test
    void nodeJoseDecryptsTokensAndCredentialsSealedInJava() throws Exception {
        Map<String, String> plaintexts = new LinkedHashMap<>();
        Map<String, TokencastEvent> records = new LinkedHashMap<>();
        String wechat = "82_TEST-ONLY-wechat-token-\u00e9\u4e2d-0123456789";
        String wecom = "TEST-ONLY-wecom-token-with-\"quotes\"-and-\\backslash";
        String ticket = "ticket@@@TEST-ONLY-component-verify-ticket";
        records.put("wechat-token", encryption.seal(token("wechat-access-token/wx0123456789abcdef", 42, wechat)));
        records.put("wecom-token", encryption.seal(token("wecom-access-token/ww42.1000002", 7, wecom)));
        records.put("component-ticket", encryption.seal(credential("wxcomp0123456789ab", 3, ticket)));
        plaintexts.put("wechat-token", wechat);
        plaintexts.put("wecom-token", wecom);
        plaintexts.put("component-ticket", ticket);

        Map<String, JsonNode> results = runNode(records);

        for (Map.Entry<String, String> expected : plaintexts.entrySet()) {
            JsonNode result = results.get(expected.getKey());
            assertThat(result.has("error"))
                    .as(expected.getKey() + ": " + result)
                    .isFalse();
            assertThat(result.get("plaintext").asString()).isEqualTo(expected.getValue());
            assertThat(result.get("kid").asString()).isEqualTo("interop-2026-12");
            assertThat(result.get("identityMatches").asBoolean())
                    .as("identity in the protected header")
                    .isTrue();
            assertThat(result.get("fingerprintMatches").asBoolean())
                    .as("fingerprint over the plaintext")
                    .isTrue();
        }
        assertThat(results.get("wechat-token").get("header").toString())
                .isEqualTo("[\"alg\",\"enc\",\"expiresAt\",\"kid\",\"tokenKey\",\"version\"]");
        assertThat(results.get("component-ticket").get("header").toString())
                .isEqualTo("[\"alg\",\"credentialKey\",\"enc\",\"kid\",\"receivedAt\",\"version\"]");
    }

    @Test
    void nodeJoseRefusesTamperedCiphertextAndSeesAMovedOne() throws Exception {
        TokenRefreshed sealed = encryption.seal(token("wechat-access-token/wx0123456789abcdef", 42, "82_TEST-ONLY"));
        String[] parts = sealed.encryptedToken().split("\\.", -1);
        parts[3] = (parts[3].charAt(0) == 'A' ? "B" : "A") + parts[3].substring(1);
        Map<String, TokencastEvent> records = new LinkedHashMap<>();
        records.put("tampered", withEnvelope(sealed, String.join(".", parts), sealed.version()));
        records.put("moved", withEnvelope(sealed, sealed.encryptedToken(), 43));

        Map<String, JsonNode> results = runNode(records);

        assertThat(results.get("tampered").has("error"))
                .as(results.get("tampered").toString())
                .isTrue();
        assertThat(results.get("moved").get("identityMatches").asBoolean()).isFalse();
    }

    private Map<String, JsonNode> runNode(Map<String, TokencastEvent> records)
            throws IOException, InterruptedException {
        assertThat(NODE_DIR.resolve("node_modules/jose/package.json"))
                .as("jose installed by the build (trust/pom.xml, npm ci in pre-integration-test)")
                .exists();
        ObjectNode input = JSON.createObjectNode();
        input.set("keys", JSON.readTree(keyring.toJson()));
        ArrayNode cases = input.putArray("cases");
        records.forEach((name, event) -> cases.addObject()
                .put("name", name)
                .put("record", new String(EventCodec.json().encode(event), StandardCharsets.UTF_8)));
        Path file = Files.createTempFile(NODE_DIR, "cases-", ".json");
        Files.writeString(file, JSON.writeValueAsString(input));
        Process node = new ProcessBuilder(
                        "node", "decrypt.mjs", file.getFileName().toString())
                .directory(NODE_DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as(output).isZero();
        Map<String, JsonNode> results = new LinkedHashMap<>();
        output.lines()
                .map(JSON::readTree)
                .forEach(line -> results.put(line.get("name").asString(), line));
        assertThat(results).containsOnlyKeys(records.keySet());
        return results;
    }

    private static TokenRefreshed token(String key, long version, String token) {
        return TokenRefreshed.of(
                TokenKey.parse(key),
                version,
                token,
                ISSUED,
                ISSUED.plus(Duration.ofHours(2)),
                ISSUED.plus(Duration.ofMinutes(90)),
                RefreshReason.SCHEDULED,
                "refresher-0",
                null);
    }

    private static CredentialStored credential(String component, long version, String value) {
        return CredentialStored.of(
                        CredentialKind.COMPONENT_VERIFY_TICKET,
                        component,
                        value,
                        ISSUED.plusSeconds(600),
                        ISSUED.plus(Duration.ofHours(12)),
                        CredentialSource.CALLBACK,
                        "refresher-0")
                .withVersion(version);
    }

    private static TokenRefreshed withEnvelope(TokenRefreshed event, String jwe, long version) {
        return new TokenRefreshed(
                event.eventId(),
                event.tokenKey(),
                event.kind(),
                event.account(),
                version,
                null,
                jwe,
                event.fingerprint(),
                event.issuedAt(),
                event.expiresAt(),
                event.nextRefreshAt(),
                event.reason(),
                event.refresher(),
                event.causationId());
    }
}
