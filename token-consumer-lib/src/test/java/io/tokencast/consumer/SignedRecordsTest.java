package io.tokencast.consumer;

import static io.tokencast.consumer.Events.START;
import static io.tokencast.consumer.Events.key;
import static io.tokencast.consumer.Events.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokencast.schema.EventCodec;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.schema.TokenRetired;
import io.tokencast.testkit.MutableClock;
import io.tokencast.testkit.signing.TestRefresherKey;
import io.tokencast.trust.encryption.RecordEncryption;
import io.tokencast.trust.signing.RecordVerifier;
import io.tokencast.trust.signing.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Records checked against the refresher's keys (docs/design.md §5, "When to verify"): live, before they can
 * replace anything; at cold start, deferred to the key's first read, from the highest version down.
 */
class SignedRecordsTest {

    private static final TestRefresherKey REFRESHER = TestRefresherKey.shared();
    private static final TestRefresherKey FORGER = TestRefresherKey.generate("forger-1");

    private final MutableClock clock = new MutableClock(START.plus(Duration.ofMinutes(70)));
    // No background verification: what this test reads first is settled by that read.
    private final TokenTable table = new TokenTable(
                    clock,
                    Duration.ofMinutes(2),
                    "topic 't'",
                    RecordEncryption.off(),
                    Integer.MAX_VALUE,
                    new RecordVerifier(REFRESHER.verificationKeys()))
            .backgroundVerifiers(0);
    private final TokenRecords records = new TokenRecords(table);
    private final TokenKey key = key("wx0000000000000031");
    private long offset;

    private void accept(TokenKey recordKey, byte[] value) {
        records.accept(new ConsumerRecord<>("t", 0, offset++, recordKey.asString(), value));
    }

    private void accept(TokenRefreshed event, TestRefresherKey signer) {
        accept(event.tokenKey(), signer.sign(event));
    }

    private void acceptUnsigned(TokenRefreshed event) {
        accept(event.tokenKey(), EventCodec.json().encode(event));
    }

    @Test
    void onRestoreAForgedHighestVersionFallsBackToTheGenuineOneOnTheFirstRead() {
        // given a genuine v1 and v2, then a forged v3, read before the view is ready
        accept(version(key, 1), REFRESHER);
        accept(version(key, 2), REFRESHER);
        accept(version(key, 3), FORGER);
        List<Long> handed = new ArrayList<>();
        table.addListener(token -> handed.add(token.version()));

        // when the view is ready, nothing was verified yet
        table.markReady();
        assertThat(table.stats().verificationPending()).isEqualTo(1);
        assertThat(table.stats().signatureRejected()).isZero();
        assertThat(handed).isEmpty();

        // then the first read verifies v3 (refused: unknown kid), falls back to v2 and returns it
        assertThat(table.token(key).version()).isEqualTo(2);
        assertThat(table.stats().verificationPending()).isZero();
        assertThat(table.stats().signatureRejections()).isEqualTo(Map.of(Verdict.UNKNOWN_KID, 1L));
        assertThat(table.stats().olderVersionsIgnored()).isEqualTo(1);
        assertThat(handed).containsExactly(2L);
        // and later reads take the held version, verifying nothing again
        assertThat(table.token(key).version()).isEqualTo(2);
        assertThat(table.stats().signatureRejected()).isEqualTo(1);
    }

    @Test
    void onRestoreAKeyWithOnlyUnsignedRecordsIsNeverServed() {
        acceptUnsigned(version(key, 1));
        acceptUnsigned(version(key, 2));
        table.markReady();

        assertThatThrownBy(() -> table.token(key))
                .isInstanceOf(UnknownTokenException.class)
                .hasMessageContaining("signature did not verify");
        assertThat(table.find(key)).isEmpty();
        assertThat(table.state(key)).isEqualTo(TokenState.ABSENT);
        assertThat(table.stats().signatureRejections()).isEqualTo(Map.of(Verdict.UNSIGNED, 2L));
        assertThat(table.keys()).isEmpty();
    }

    @Test
    void onRestoreOnlyTheLastFewRecordsByOffsetAreKept() {
        // given a genuine v1 followed by more forged records than the window holds
        accept(version(key, 1), REFRESHER);
        for (int i = 0; i < RestoredRecords.WINDOW; i++) {
            accept(version(key, 2 + i), FORGER);
        }
        table.markReady();

        // then the genuine record fell out of the window: the key is not served (the refresher re-publishes it)
        assertThat(table.find(key)).isEmpty();
        assertThat(table.stats().signatureRejections()).isEqualTo(Map.of(Verdict.UNKNOWN_KID, 3L));
    }

    @Test
    void whileLiveAForgedOrTamperedNewerVersionNeverDisplacesTheGenuineOne() {
        // given a ready table holding a genuine v1
        table.markReady();
        accept(version(key, 1), REFRESHER);
        assertThat(table.token(key).version()).isEqualTo(1);

        // when a forged v2, an unsigned v3 and a genuine v4 naming another refresher arrive
        accept(version(key, 2), FORGER);
        acceptUnsigned(version(key, 3));
        String genuine = new String(REFRESHER.sign(version(key, 4)), StandardCharsets.UTF_8);
        accept(key, genuine.replace("\"test-refresher\"", "\"other-refresher\"").getBytes(StandardCharsets.UTF_8));

        // then v1 is still served, and each was refused with its verdict
        assertThat(table.token(key).version()).isEqualTo(1);
        assertThat(table.stats().signatureRejections())
                .isEqualTo(Map.of(Verdict.UNKNOWN_KID, 1L, Verdict.UNSIGNED, 1L, Verdict.BAD_SIGNATURE, 1L));
        assertThat(table.stats().malformedSkipped()).isZero();

        // and the genuine v2 still replaces it: refused versions are not "seen"
        accept(version(key, 2), REFRESHER);
        assertThat(table.token(key).version()).isEqualTo(2);
    }

    @Test
    void aLiveRecordForAKeyStillWaitingSettlesTheKeyFirst() {
        // given a genuine v5 restored, unverified
        accept(version(key, 5), REFRESHER);
        table.markReady();

        // when a forged v6 and then a genuine replay of v4 arrive live
        accept(version(key, 6), FORGER);
        accept(version(key, 4), REFRESHER);

        // then v5 was verified before v6 was judged, and neither displaced it
        assertThat(table.stats().verificationPending()).isZero();
        assertThat(table.token(key).version()).isEqualTo(5);
        assertThat(table.stats().signatureRejections()).isEqualTo(Map.of(Verdict.UNKNOWN_KID, 1L));
        assertThat(table.stats().olderVersionsIgnored()).isEqualTo(1);
    }

    @Test
    void aRecordMovedUnderAnotherKeyIsRefused() {
        TokenKey other = key("wx0000000000000032");
        table.markReady();

        accept(other, REFRESHER.sign(version(key, 1)));

        assertThat(table.find(other)).isEmpty();
        assertThat(table.find(key)).isEmpty();
        assertThat(table.stats().malformedSkipped()).isEqualTo(1);
    }

    @Test
    void whileLiveOnlyAVerifiedRetirementRemovesTheKeyAndNoOlderVersionBringsItBack() {
        table.markReady();
        accept(version(key, 1), REFRESHER);

        // a forged retirement removes nothing
        accept(key, FORGER.sign(TokenRetired.ofToken(key, 2, START, TokenRetired.REMOVED)));
        assertThat(table.token(key).version()).isEqualTo(1);

        // the refresher's does, and a replayed v1 stays ignored
        accept(key, REFRESHER.sign(TokenRetired.ofToken(key, 2, START, TokenRetired.REMOVED)));
        assertThatThrownBy(() -> table.token(key))
                .isInstanceOf(TokenRemovedException.class)
                .hasMessageContaining("retired at v2");
        accept(version(key, 1), REFRESHER);
        assertThat(table.find(key)).isEmpty();
        assertThat(table.stats().tombstones()).isEqualTo(1);
        assertThat(table.stats().signatureRejections()).isEqualTo(Map.of(Verdict.UNKNOWN_KID, 1L));

        // and a newer version (the app added back) is served again
        accept(version(key, 3), REFRESHER);
        assertThat(table.token(key).version()).isEqualTo(3);
    }

    @Test
    void onRestoreAVerifiedRetirementAboveEveryVersionRemovesTheKey() {
        accept(version(key, 1), REFRESHER);
        accept(key, REFRESHER.sign(TokenRetired.ofToken(key, 2, START, TokenRetired.REMOVED)));
        accept(key, null);
        table.markReady();

        assertThatThrownBy(() -> table.token(key)).isInstanceOf(TokenRemovedException.class);
        assertThat(table.keys()).isEmpty();
        assertThat(table.stats().tombstonesIgnored()).isEqualTo(1);
    }

    @Test
    void onRestoreAForgedRetirementFallsBackToTheGenuineVersion() {
        accept(version(key, 1), REFRESHER);
        accept(key, FORGER.sign(TokenRetired.ofToken(key, 2, START, TokenRetired.REMOVED)));
        table.markReady();

        assertThat(table.token(key).version()).isEqualTo(1);
        assertThat(table.stats().signatureRejections()).isEqualTo(Map.of(Verdict.UNKNOWN_KID, 1L));
    }
}
