package io.tokencast.schema;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Records that hold a secret never print it: their toString() is what ends up in logs. */
class RedactionTest {

    @Test
    void tokenRefreshedDoesNotPrintTheToken() {
        TokenRefreshed event = SampleEvents.tokenRefreshed();

        assertThat(event.toString())
                .doesNotContain(SampleEvents.TOKEN)
                .contains("tokenKey=wechat-access-token/wx0123456789abcdef", "version=42")
                .contains("fingerprint=" + Fingerprint.of(SampleEvents.TOKEN))
                .contains("token=<redacted>");
    }

    @Test
    void tokenRefreshedDoesNotPrintTheEncryptedToken() {
        TokenRefreshed event = SampleEvents.tokenRefreshedEncrypted();

        assertThat(event.toString()).doesNotContain(event.encryptedToken()).contains("<redacted>");
    }

    @Test
    void credentialStoredDoesNotPrintTheValue() {
        CredentialStored ticket = SampleEvents.credentialStored();
        CredentialStored refreshToken = SampleEvents.credentialStoredMinimal();

        assertThat(ticket.toString())
                .doesNotContain(SampleEvents.TICKET)
                .contains("credentialKey=component-ticket/wx9876543210fedcba", "value=<redacted>");
        assertThat(refreshToken.toString()).doesNotContain(SampleEvents.REFRESH_TOKEN);
    }

    @Test
    void credentialStoredDoesNotPrintTheEncryptedValue() {
        CredentialStored event = SampleEvents.credentialStoredEncrypted();

        assertThat(event.toString()).doesNotContain(event.encryptedValue()).contains("<redacted>");
    }

    @Test
    void aDecodedEventIsRedactedToo() {
        TokenRefreshed decoded =
                EventCodec.json().decode(SampleEvents.resource("/samples/token-refreshed.json"), TokenRefreshed.class);

        assertThat(decoded.token()).isEqualTo(SampleEvents.TOKEN);
        assertThat(decoded.toString()).doesNotContain(SampleEvents.TOKEN);
    }

    @Test
    void aTokenThatHappensToLookLikeOtherFieldsIsStillNotPrinted() {
        String token = "refresher-7c9d-lookalike-token-value";
        TokenRefreshed event = TokenRefreshed.of(
                SampleEvents.APP,
                1,
                token,
                SampleEvents.ISSUED,
                SampleEvents.ISSUED.plusSeconds(7200),
                SampleEvents.ISSUED.plusSeconds(5400),
                RefreshReason.MANUAL,
                "refresher-7c9d",
                null);

        assertThat(event.toString()).doesNotContain(token);
    }
}
