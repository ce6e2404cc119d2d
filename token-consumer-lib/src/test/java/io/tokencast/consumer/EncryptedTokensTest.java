package io.tokencast.consumer;

import static io.tokencast.consumer.Events.START;
import static io.tokencast.consumer.Events.key;
import static io.tokencast.consumer.Events.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.MutableClock;
import io.tokencast.trust.encryption.EncryptionKeyring;
import io.tokencast.trust.encryption.RecordEncryption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Decrypt once on apply, serve only what this service's scopes and keys allow, never garbage. */
class EncryptedTokensTest {

    private static final TokenKey TENANT_A = key("wxa0000000000000a1");
    private static final TokenKey TENANT_B = key("wxb0000000000000b1");

    private final EncryptionKeyring keyA =
            EncryptionKeyring.generate("tenant-a-1", List.of("wechat-access-token/wxa*"));
    private final EncryptionKeyring keyB =
            EncryptionKeyring.generate("tenant-b-1", List.of("wechat-access-token/wxb*"));
    private final RecordEncryption refresher = RecordEncryption.with(keyA.with(keyB));
    private final MutableClock clock = new MutableClock(START.plus(Duration.ofMinutes(70)));
    private final TokenTable serviceA = decrypting(keyA);

    @Test
    void aServiceReadsItsOwnTenantsTokensDecryptedOnApply() {
        TokenRefreshed sealed = refresher.seal(version(TENANT_A, 1));
        assertThat(sealed.token()).isNull();

        serviceA.apply(sealed);
        serviceA.markReady();

        assertThat(serviceA.token(TENANT_A).value()).isEqualTo("token-" + TENANT_A.account() + "-v1");
        assertThat(serviceA.token(TENANT_A).fingerprint()).isEqualTo(sealed.fingerprint());
        assertThat(serviceA.state(TENANT_A)).isEqualTo(TokenState.FRESH);
    }

    @Test
    void anotherTenantsTokenIsAbsentWithANoKeyReasonNeverGarbage() {
        serviceA.apply(refresher.seal(version(TENANT_B, 1)));
        serviceA.markReady();

        assertThat(serviceA.state(TENANT_B)).isEqualTo(TokenState.NO_KEY);
        assertThat(serviceA.find(TENANT_B)).isEmpty();
        assertThatThrownBy(() -> serviceA.token(TENANT_B))
                .isInstanceOf(NoKeyForScopeException.class)
                .hasMessageContaining("no key for this scope")
                .hasMessageContaining(TENANT_B.asString())
                .hasMessageContaining("tenant-b-1")
                .hasMessageContaining("encryptionKeyring");
        assertThat(serviceA.stats().malformedSkipped())
                .as("no key is not an error")
                .isZero();
    }

    @Test
    void aKeyOutsideTheScopesIsNotReadEvenWithTheKidHeld() {
        EncryptionKeyring sameKeyOtherScope =
                EncryptionKeyring.parse(keyA.toJson().replace("wechat-access-token/wxa*", "wecom-access-token/*"));
        TokenTable wecomService = decrypting(sameKeyOtherScope);

        wecomService.apply(refresher.seal(version(TENANT_A, 1)));
        wecomService.markReady();

        assertThat(wecomService.state(TENANT_A)).isEqualTo(TokenState.NO_KEY);
        assertThatThrownBy(() -> wecomService.token(TENANT_A)).hasMessageContaining("outside this service's scopes");
    }

    @Test
    void aNewerVersionUnderAnUnknownKidNeverDisplacesTheReadableOlderOne() {
        EncryptionKeyring rotated = EncryptionKeyring.generate("tenant-a-2", List.of("wechat-access-token/wxa*"));
        serviceA.apply(refresher.seal(version(TENANT_A, 1)));
        serviceA.markReady();

        serviceA.apply(RecordEncryption.with(rotated).seal(version(TENANT_A, 2)));

        assertThat(serviceA.token(TENANT_A).version()).isEqualTo(1);
        assertThat(serviceA.state(TENANT_A)).isEqualTo(TokenState.NO_KEY);
        assertThat(serviceA.heldVersion(TENANT_A)).isEqualTo(1);

        clock.advance(Duration.ofHours(2));
        assertThatThrownBy(() -> serviceA.token(TENANT_A))
                .as("once the readable one expired, the reason is the missing key")
                .isInstanceOf(NoKeyForScopeException.class)
                .hasMessageContaining("v2")
                .hasMessageContaining("tenant-a-2");

        serviceA.apply(refresher.seal(version(TENANT_A, 3)));
        assertThat(serviceA.token(TENANT_A).version()).isEqualTo(3);
        assertThat(serviceA.state(TENANT_A)).isIn(TokenState.FRESH, TokenState.STALE);
    }

    @Test
    void aCiphertextMovedToAnotherVersionIsSkippedAndNeverServed() {
        TokenRefreshed v1 = refresher.seal(version(TENANT_A, 1));
        TokenRefreshed moved = refresher.seal(version(TENANT_A, 2));
        serviceA.apply(v1);
        serviceA.markReady();
        TokenRefreshed replayed = new TokenRefreshed(
                moved.eventId(),
                moved.tokenKey(),
                moved.kind(),
                moved.account(),
                5,
                null,
                v1.encryptedToken(),
                v1.fingerprint(),
                moved.issuedAt(),
                moved.expiresAt(),
                moved.nextRefreshAt(),
                moved.reason(),
                moved.refresher(),
                null);

        serviceA.apply(replayed);

        assertThat(serviceA.token(TENANT_A).version()).isEqualTo(1);
        assertThat(serviceA.state(TENANT_A)).isEqualTo(TokenState.FRESH);
        assertThat(serviceA.stats().malformedSkipped()).isEqualTo(1);
    }

    @Test
    void aViewWithoutAKeyringStillReadsPlaintextTokens() {
        TokenTable plain = new TokenTable(clock, Duration.ofMinutes(2), "t");
        plain.apply(version(TENANT_A, 1));
        plain.apply(refresher.seal(version(TENANT_B, 1)));
        plain.markReady();

        assertThat(plain.token(TENANT_A).version()).isEqualTo(1);
        assertThat(plain.state(TENANT_B)).isEqualTo(TokenState.NO_KEY);
    }

    private TokenTable decrypting(EncryptionKeyring keyring) {
        return new TokenTable(
                clock, Duration.ofMinutes(2), "t", RecordEncryption.with(keyring), Integer.MAX_VALUE, null);
    }
}
