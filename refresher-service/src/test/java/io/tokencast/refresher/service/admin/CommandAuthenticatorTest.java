package io.tokencast.refresher.service.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.refresher.service.admin.CommandAuthenticator.Signer;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.RefreshRequested;
import io.tokencast.schema.TokenKey;
import io.tokencast.trust.signing.CommandSigner;
import io.tokencast.trust.signing.KeySetRole;
import io.tokencast.trust.signing.RecordSigner;
import io.tokencast.trust.signing.RecordVerifier;
import io.tokencast.trust.signing.SigningKey;
import io.tokencast.trust.signing.VerificationKeys;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who sent an admin-topic record, decided before anything else looks at it (docs/security.md §6). */
class CommandAuthenticatorTest {

    private static final Instant NOW = Instant.parse("2026-12-07T14:00:00Z");
    private static final TokenKey KEY = TokenKey.parse("wechat-access-token/wx0123456789abcdef");

    private final SigningKey anna = SigningKey.generateEd25519("anna-1", "anna", KeySetRole.OPERATORS);
    private final SigningKey stranger = SigningKey.generateEd25519("eve-1", "eve", KeySetRole.OPERATORS);
    private final CommandAuthenticator authenticator = new CommandAuthenticator(
            new RecordVerifier(VerificationKeys.of(KeySetRole.OPERATORS, List.of(anna))),
            Duration.ofMinutes(10),
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aCommandSignedWithAnOperatorKeyIsCreditedToItsName() {
        byte[] signed = new CommandSigner(anna).sign(RefreshRequested.manual(KEY, true, "anna", NOW), "bob");

        Signer signer = authenticator.signer(signed, KEY.asString());

        assertThat(signer.isVerified()).isTrue();
        assertThat(signer.operator()).isEqualTo("anna");
    }

    @Test
    void unsignedUnknownKeyAndTamperedCommandsAreUnauthenticatedAndQuoteWhatTheyClaimed() {
        RefreshRequested claim = RefreshRequested.manual(KEY, true, "anna", NOW);
        byte[] unsigned = EventCodec.json().encode(claim);
        byte[] byStranger = new RecordSigner(stranger).sign(unsigned);
        byte[] tampered = new String(
                        new CommandSigner(anna).sign(RefreshRequested.manual(KEY, false, "anna", NOW)),
                        StandardCharsets.UTF_8)
                .replace("\"force\":false", "\"force\":true")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(authenticator.signer(unsigned, KEY.asString()).refusal()).satisfies(r -> {
            assertThat(r.code()).isEqualTo("UNAUTHENTICATED");
            assertThat(r.message())
                    .startsWith("UNSIGNED")
                    .contains("requestedBy=\"anna\"", "force=\"true\"", "commandId=\"" + claim.commandId());
        });
        assertThat(authenticator.signer(byStranger, KEY.asString()).refusal()).satisfies(r -> {
            assertThat(r.code()).isEqualTo("UNAUTHENTICATED");
            assertThat(r.message()).startsWith("UNKNOWN_KID").contains("eve-1");
        });
        assertThat(authenticator.signer(tampered, KEY.asString()).refusal()).satisfies(r -> {
            assertThat(r.code()).isEqualTo("UNAUTHENTICATED");
            assertThat(r.message()).startsWith("BAD_SIGNATURE");
        });
    }

    @Test
    void aSignedCommandMovedUnderAnotherKeyIsAKeyMismatch() {
        byte[] signed = new CommandSigner(anna).sign(RefreshRequested.manual(KEY, false, "anna", NOW));

        assertThat(authenticator
                        .signer(signed, "wechat-access-token/wxother")
                        .refusal()
                        .code())
                .isEqualTo("KEY_MISMATCH");
        assertThat(authenticator.signer(signed, null).refusal().code()).isEqualTo("KEY_MISMATCH");
    }

    @Test
    void withoutOperatorKeysEveryCommandIsRefused() {
        CommandAuthenticator none =
                new CommandAuthenticator(null, Duration.ofMinutes(10), Clock.fixed(NOW, ZoneOffset.UTC));
        byte[] signed = new CommandSigner(anna).sign(RefreshRequested.manual(KEY, false, "anna", NOW));

        assertThat(none.hasKeys()).isFalse();
        assertThat(none.signer(signed, KEY.asString()).refusal()).satisfies(r -> {
            assertThat(r.code()).isEqualTo("UNAUTHENTICATED");
            assertThat(r.message()).contains("tokencast.admin.operator-keys-file");
        });
    }

    @Test
    void requestedByMustBeTheSignersNameAndRequestedAtFresh() {
        assertThat(authenticator.check(RefreshRequested.manual(KEY, false, "anna", NOW), "anna"))
                .isEmpty();
        assertThat(authenticator.check(RefreshRequested.manual(KEY, false, "root", NOW), "anna"))
                .hasValueSatisfying(r -> {
                    assertThat(r.code()).isEqualTo("UNAUTHENTICATED");
                    assertThat(r.message()).contains("\"anna\"", "requestedBy=\"root\"");
                });
        for (Duration off : List.of(Duration.ofMinutes(10), Duration.ofMinutes(-10))) {
            assertThat(authenticator.check(RefreshRequested.manual(KEY, false, "anna", NOW.plus(off)), "anna"))
                    .as("at the edge %s", off)
                    .isEmpty();
        }
        for (Duration off : List.of(
                Duration.ofMinutes(10).plusMillis(1), Duration.ofMinutes(-10).minusMillis(1))) {
            assertThat(authenticator.check(RefreshRequested.manual(KEY, false, "anna", NOW.plus(off)), "anna"))
                    .as("beyond the edge %s", off)
                    .hasValueSatisfying(r -> assertThat(r.code()).isEqualTo("STALE_COMMAND"));
        }
    }

    @Test
    void claimsAreEscapedAndCutSoTheyCannotForgeALogLineOrFloodTheAudit() {
        String forged = "{\"type\":\"RefreshRequested\",\"requestedBy\":\"ops\\r\\nINFO granted\",\"onBehalfOf\":\""
                + "x".repeat(5000) + "\",\"force\":true}";

        String claims = CommandAuthenticator.claims(forged.getBytes(StandardCharsets.UTF_8));

        assertThat(claims).contains("requestedBy=\"ops\\r\\nINFO granted\"", "force=\"true\"");
        assertThat(claims).doesNotContain("\r", "\n");
        assertThat(claims.length()).isLessThan(400);
        assertThat(CommandAuthenticator.claims("not json".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("the record is not JSON");
        assertThat(CommandAuthenticator.claims(new byte[0])).isEqualTo("the record is empty");
    }
}
