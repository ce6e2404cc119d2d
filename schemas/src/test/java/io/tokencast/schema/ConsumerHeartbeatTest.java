package io.tokencast.schema;

import static io.tokencast.schema.EventDecodingException.Problem.INVALID_FIELD;
import static io.tokencast.schema.EventDecodingException.Problem.MISSING_FIELD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** A heartbeat is bounded input: its lists are capped, its versions in range, its names short. */
class ConsumerHeartbeatTest {

    private final EventCodec codec = EventCodec.json();

    @Test
    void sampleDecodesToWhatItHolds() {
        ConsumerHeartbeat heartbeat =
                codec.decode(SampleEvents.resource("/samples/consumer-heartbeat.json"), ConsumerHeartbeat.class);

        assertThat(heartbeat.instanceId()).isEqualTo("order-service@host-7f3a.5b2c9e1d");
        assertThat(heartbeat.brokerContact().recordsBehind()).isZero();
        assertThat(heartbeat.held()).singleElement().satisfies(held -> {
            assertThat(held.tokenKey()).isEqualTo(SampleEvents.APP);
            assertThat(held.version()).isEqualTo(42);
            assertThat(held.fingerprint()).isEqualTo(Fingerprint.of("hello"));
        });
    }

    @Test
    void heldListOverTheCapIsRejectedByRecordAndSchema() {
        ConsumerHeartbeat.HeldVersion one = new ConsumerHeartbeat.HeldVersion(SampleEvents.APP, 1, Fingerprint.of("x"));
        List<ConsumerHeartbeat.HeldVersion> tooMany =
                new ArrayList<>(Collections.nCopies(ConsumerHeartbeat.MAX_HELD + 1, one));
        ObjectNode tree = SampleEvents.tree(SampleEvents.consumerHeartbeat());
        ArrayNode held = tree.putArray("held");
        for (int i = 0; i <= ConsumerHeartbeat.MAX_HELD; i++) {
            held.addObject()
                    .put("tokenKey", SampleEvents.APP.asString())
                    .put("version", 1)
                    .put("fingerprint", one.fingerprint());
        }

        assertThatThrownBy(() -> withHeld(tooMany)).isInstanceOf(InvalidEventException.class);
        assertThat(SchemaCheck.errors(ConsumerHeartbeat.class, SampleEvents.bytes(tree)))
                .anySatisfy(error -> assertThat(error).contains("held"));
        assertThatThrownBy(() -> codec.decode(SampleEvents.bytes(tree), ConsumerHeartbeat.class))
                .isInstanceOfSatisfying(EventDecodingException.class, e -> assertThat(e.problem())
                        .isEqualTo(INVALID_FIELD));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, 9007199254740992L})
    void heldVersionOutOfRangeIsRejectedByRecordAndSchema(long version) {
        ObjectNode tree = SampleEvents.tree(SampleEvents.consumerHeartbeat());
        ((ObjectNode) tree.get("held").get(0)).put("version", version);

        assertThat(SchemaCheck.errors(ConsumerHeartbeat.class, SampleEvents.bytes(tree)))
                .isNotEmpty();
        assertThatThrownBy(() -> codec.decode(SampleEvents.bytes(tree), ConsumerHeartbeat.class))
                .isInstanceOfSatisfying(EventDecodingException.class, e -> assertThat(e.getMessage())
                        .contains("held.version"));
    }

    @Test
    void tooManyScopesAndBlankNamesAreRejected() {
        List<String> scopes = Collections.nCopies(ConsumerHeartbeat.MAX_NAMES + 1, "wechat-access-token/*");

        assertThatThrownBy(() -> new ConsumerHeartbeat(
                        "i", "s", "h", "v", SampleEvents.ISSUED, SampleEvents.ISSUED, null, scopes, null, null))
                .hasMessageContaining("scopes");
        assertThatThrownBy(() -> new ConsumerHeartbeat(
                        "i", "s", "h", "v", SampleEvents.ISSUED, SampleEvents.ISSUED, null, null, List.of(" "), null))
                .hasMessageContaining("kids");
        assertThatThrownBy(() -> new ConsumerHeartbeat(
                        "i".repeat(201),
                        "s",
                        "h",
                        "v",
                        SampleEvents.ISSUED,
                        SampleEvents.ISSUED,
                        null,
                        null,
                        null,
                        null))
                .hasMessageContaining("instanceId");
    }

    @Test
    void signaturesSayWhetherAndAgainstWhichKidsTheInstanceVerifies() {
        ConsumerHeartbeat heartbeat =
                codec.decode(SampleEvents.resource("/samples/consumer-heartbeat.json"), ConsumerHeartbeat.class);

        assertThat(heartbeat.signatures())
                .isEqualTo(new ConsumerHeartbeat.Signatures(true, List.of("refresher-2025-06"), "BC"));
    }

    @Test
    void heartbeatOfALibraryOlderThanSigningDecodesWithoutSignatures() {
        ObjectNode tree = SampleEvents.tree(SampleEvents.consumerHeartbeat());
        tree.remove("signatures");

        assertThat(SchemaCheck.errors(ConsumerHeartbeat.class, SampleEvents.bytes(tree)))
                .isEmpty();
        assertThat(codec.decode(SampleEvents.bytes(tree), ConsumerHeartbeat.class)
                        .signatures())
                .isNull();
    }

    @Test
    void tooManyTrustedKidsAreRejectedByRecordAndSchema() {
        List<String> kids = Collections.nCopies(ConsumerHeartbeat.MAX_NAMES + 1, "refresher-2025-06");
        ObjectNode tree = SampleEvents.tree(SampleEvents.consumerHeartbeat());
        ArrayNode trusted = ((ObjectNode) tree.get("signatures")).putArray("kids");
        kids.forEach(trusted::add);

        assertThatThrownBy(() -> new ConsumerHeartbeat.Signatures(true, kids, null))
                .hasMessageContaining("signatures.kids");
        assertThat(SchemaCheck.errors(ConsumerHeartbeat.class, SampleEvents.bytes(tree)))
                .anySatisfy(error -> assertThat(error).contains("kids"));
        assertThatThrownBy(() -> codec.decode(SampleEvents.bytes(tree), ConsumerHeartbeat.class))
                .isInstanceOfSatisfying(EventDecodingException.class, e -> assertThat(e.problem())
                        .isEqualTo(INVALID_FIELD));
    }

    @Test
    void nullEntryInHeldIsRejectedWithTheFieldName() {
        List<ConsumerHeartbeat.HeldVersion> withNull = new ArrayList<>();
        withNull.add(null);

        assertThatThrownBy(() -> withHeld(withNull)).hasMessageContaining("held");
    }

    @Test
    void missingSentAtIsAMissingField() {
        ObjectNode tree = SampleEvents.tree(SampleEvents.consumerHeartbeat());
        tree.remove("sentAt");

        assertThatThrownBy(() -> codec.decode(SampleEvents.bytes(tree), ConsumerHeartbeat.class))
                .isInstanceOfSatisfying(EventDecodingException.class, e -> assertThat(e.problem())
                        .isEqualTo(MISSING_FIELD));
    }

    private static ConsumerHeartbeat withHeld(List<ConsumerHeartbeat.HeldVersion> held) {
        return new ConsumerHeartbeat(
                "i", "s", "h", "v", SampleEvents.ISSUED, SampleEvents.ISSUED, null, null, null, held);
    }
}
