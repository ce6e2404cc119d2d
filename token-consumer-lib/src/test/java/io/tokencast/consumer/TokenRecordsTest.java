package io.tokencast.consumer;

import static io.tokencast.consumer.Events.START;
import static io.tokencast.consumer.Events.key;
import static io.tokencast.consumer.Events.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokencast.schema.EventCodec;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.MutableClock;
import io.tokencast.trust.encryption.EncryptionKeyring;
import io.tokencast.trust.encryption.RecordEncryption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How records of the tokens topic become table changes, bad ones skipped and counted. */
class TokenRecordsTest {

    private final TokenTable table = new TokenTable(new MutableClock(START), Duration.ofMinutes(2), "topic 't'");
    private final TokenRecords records = new TokenRecords(table);
    private final TokenKey key = key("wx0000000000000003");
    private long offset;

    @BeforeEach
    void ready() {
        table.markReady();
    }

    private void accept(String recordKey, byte[] value) {
        records.accept(new ConsumerRecord<>("t", 0, offset++, recordKey, value));
    }

    private void accept(TokenRefreshed event) {
        accept(event.tokenKey().asString(), EventCodec.json().encode(event));
    }

    @Test
    void malformedRecordsAreSkippedAndCountedWithoutReplacingTheGoodToken() {
        accept(version(key, 1, START));

        accept(key.asString(), "not json".getBytes(StandardCharsets.UTF_8));
        accept(key.asString(), new byte[0]);
        accept(key.asString(), "{\"type\":\"TokenRefreshed\",\"schemaVersion\":1}".getBytes(StandardCharsets.UTF_8));
        accept(key.asString(), "[1,2]".getBytes(StandardCharsets.UTF_8));

        assertThat(table.token(key).version()).isEqualTo(1);
        assertThat(table.stats().malformedSkipped()).isEqualTo(4);
        assertThat(table.stats().recordsRead()).isEqualTo(5);
    }

    @Test
    void aRecordWhoseKeyIsNotATokenKeyIsSkipped() {
        accept(null, EventCodec.json().encode(version(key, 1, START)));
        accept("no-slash", EventCodec.json().encode(version(key, 1, START)));
        accept("unknown-kind/wx1", null);

        assertThat(table.keys()).isEmpty();
        assertThat(table.stats().malformedSkipped()).isEqualTo(3);
    }

    @Test
    void aRecordFiledUnderAnotherKeyIsSkipped() {
        accept(key("wx0000000000000004").asString(), EventCodec.json().encode(version(key, 1, START)));

        assertThat(table.keys()).isEmpty();
        assertThat(table.stats().malformedSkipped()).isEqualTo(1);
    }

    @Test
    void aTombstoneRemovesAndATombstoneForAnUnknownKeyIsHarmless() {
        accept(version(key, 1, START));
        accept(key.asString(), null);
        accept(key("wx0000000000000005").asString(), null);

        assertThatThrownBy(() -> table.token(key)).isInstanceOf(TokenRemovedException.class);
        assertThat(table.stats().tombstones()).isEqualTo(1);
        assertThat(table.stats().malformedSkipped()).isZero();
    }

    @Test
    void anEncryptedTokenIsHeldForItsVersionButNotServedByAViewWithoutKeys() {
        TokenRefreshed encrypted = RecordEncryption.with(EncryptionKeyring.generate("k1", List.of("*")))
                .seal(TokenRefreshed.of(
                        key,
                        7,
                        "plain",
                        START,
                        START.plus(Duration.ofHours(2)),
                        START.plus(Duration.ofMinutes(90)),
                        RefreshReason.SCHEDULED,
                        "r",
                        null));
        accept(encrypted);

        assertThat(table.snapshot().get(key).version()).isEqualTo(7);
        assertThatThrownBy(() -> table.token(key))
                .isExactlyInstanceOf(NoKeyForScopeException.class)
                .hasMessageContaining("no key for this scope")
                .hasMessageContaining("kid k1")
                .hasMessageNotContaining("plain\"");
        accept(version(key, 6, START));
        assertThat(table.snapshot().get(key).version()).isEqualTo(7);
    }

    @Test
    void recordsOfKeysBeyondTheCapAreSkippedAndCountedWhileHeldKeysKeepUpdating() {
        TokenTable capped = new TokenTable(
                new MutableClock(START), Duration.ofMinutes(2), "topic 't'", RecordEncryption.off(), 2, null);
        TokenRecords reader = new TokenRecords(capped);
        capped.markReady();
        TokenKey first = key("wx00000000000000c1");
        TokenKey second = key("wx00000000000000c2");
        TokenKey third = key("wx00000000000000c3");
        for (TokenRefreshed event :
                java.util.List.of(version(first, 1), version(second, 1), version(third, 1), version(first, 2))) {
            reader.accept(new ConsumerRecord<>(
                    "t",
                    0,
                    offset++,
                    event.tokenKey().asString(),
                    EventCodec.json().encode(event)));
        }

        assertThat(capped.keys()).containsExactlyInAnyOrder(first, second);
        assertThat(capped.snapshot().get(first).version()).isEqualTo(2);
        assertThat(capped.stats().malformedSkipped()).isEqualTo(1);
    }
}
