package io.tokencast.consumer;

import static io.tokencast.consumer.Events.START;
import static io.tokencast.consumer.Events.key;
import static io.tokencast.consumer.Events.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.schema.TokenKey;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.MutableClock;
import io.tokencast.testkit.signing.TestRefresherKey;
import io.tokencast.trust.encryption.EncryptionKeyring;
import io.tokencast.trust.encryption.RecordEncryption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two services on one encrypted topic, each with its own tenants' keys, against a real broker. */
class EncryptedTopicIT {

    @Test
    void eachServiceReadsOnlyItsScopesAndTheOthersAreNoKeyWithoutErrors() {
        EncryptionKeyring keyA = EncryptionKeyring.generate("tenant-a", List.of("wechat-access-token/wxa*"));
        EncryptionKeyring keyB = EncryptionKeyring.generate("tenant-b", List.of("wechat-access-token/wxb*"));
        RecordEncryption refresher = RecordEncryption.with(keyA.with(keyB));
        MutableClock clock = new MutableClock(START.plus(Duration.ofMinutes(70)));
        TokenKey a = key("wxa0000000000000a1");
        TokenKey b = key("wxb0000000000000b1");
        try (TokenTopic topic = TokenTopic.compacted("encrypted-tokens", 1)) {
            topic.send(refresher.seal(version(a, 1)));
            topic.send(refresher.seal(version(b, 1)));
            topic.flush();
            try (TokenView viewA = view(topic, clock, keyA);
                    TokenView viewB = view(topic, clock, keyB)) {
                viewA.awaitReady(Duration.ofSeconds(30));
                viewB.awaitReady(Duration.ofSeconds(30));

                assertThat(viewA.token(a).value()).isEqualTo("token-" + a.account() + "-v1");
                assertThat(viewA.state(b)).isEqualTo(TokenState.NO_KEY);
                assertThat(viewB.token(b).value()).isEqualTo("token-" + b.account() + "-v1");
                assertThat(viewB.state(a)).isEqualTo(TokenState.NO_KEY);

                // a live version arrives, decrypted on apply
                topic.send(refresher.seal(version(a, 2)));
                topic.flush();
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> viewA.find(a).map(Token::version).orElse(0L) == 2L);
                assertThat(viewA.stats().malformedSkipped()).isZero();
                assertThat(viewB.stats().malformedSkipped()).isZero();
            }
        }
    }

    private static TokenView view(TokenTopic topic, MutableClock clock, EncryptionKeyring keyring) {
        return TokenView.builder()
                .bootstrapServers(TokenTopic.bootstrapServers())
                .refresherKeys(TestRefresherKey.shared().verificationKeys())
                .topic(topic.name)
                .clientId(LocalInfrastructure.uniqueName("encrypted-view"))
                .clock(clock)
                .encryptionKeyring(keyring)
                .build()
                .start();
    }
}
