package io.tokencast.trust.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.schema.CredentialKind;
import io.tokencast.schema.CredentialSource;
import io.tokencast.schema.CredentialStored;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.EventDecodingException.Problem;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.schema.TokenRetired;
import io.tokencast.schema.TokencastEvent;
import io.tokencast.trust.records.Interpretation.Reason;
import io.tokencast.trust.records.Interpretation.Rejected;
import io.tokencast.trust.records.Interpretation.Retired;
import io.tokencast.trust.records.Interpretation.Tombstone;
import io.tokencast.trust.records.Interpretation.Version;
import io.tokencast.trust.signing.KeySetRole;
import io.tokencast.trust.signing.RecordSigner;
import io.tokencast.trust.signing.RecordVerifier;
import io.tokencast.trust.signing.SigningKey;
import io.tokencast.trust.signing.Verdict;
import io.tokencast.trust.signing.VerificationKeys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One reading of a tokens- or credentials-topic record, the same for the consumer library, the refresher and the
 * CLI.
 */
@SuppressWarnings("unchecked") // the sealed results are generic; each cast follows an isInstanceOf or a rule
class RecordInterpreterTest {

    private static final Instant NOW = Instant.parse("2026-03-01T08:00:00Z");
    private static final TokenKey KEY = TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, "wx0000000000000001");
    private static final TokenKey OTHER = TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, "wx0000000000000002");
    private static final SigningKey REFRESHER = SigningKey.generateEd25519("refresher-1", null, KeySetRole.REFRESHER);
    private static final SigningKey FORGER = SigningKey.generateEd25519("refresher-1", null, KeySetRole.REFRESHER);

    private final RecordVerifier verifier =
            new RecordVerifier(VerificationKeys.of(KeySetRole.REFRESHER, List.of(REFRESHER)));
    private final RecordInterpreter<TokenKey, TokenRefreshed> tokens = RecordInterpreter.tokens(verifier);
    private final RecordInterpreter<TokenKey, TokenRefreshed> unsignedTokens = RecordInterpreter.tokens(null);

    private static TokenRefreshed version(TokenKey key, long version) {
        return TokenRefreshed.of(
                key,
                version,
                "token-" + version,
                NOW,
                NOW.plusSeconds(7200),
                NOW.plusSeconds(5400),
                RefreshReason.SCHEDULED,
                "refresher-a",
                null);
    }

    private static byte[] signed(SigningKey key, TokencastEvent event) {
        return new RecordSigner(key).sign(EventCodec.json().encode(event));
    }

    @Test
    void aGenuineRecordIsAVerifiedVersionOfItsKey() {
        byte[] raw = signed(REFRESHER, version(KEY, 7));

        var read = tokens.read(KEY.asString(), raw, 2, 40);

        assertThat(read).isInstanceOf(Version.class);
        Version<TokenKey, TokenRefreshed> version = (Version<TokenKey, TokenRefreshed>) read;
        assertThat(version.key()).isEqualTo(KEY);
        assertThat(version.event().version()).isEqualTo(7);
        assertThat(version.verified()).isTrue();
        assertThat(version.verification().kid()).isEqualTo("refresher-1");
        assertThat(version.partition()).isEqualTo(2);
        assertThat(version.offset()).isEqualTo(40);
    }

    @Test
    void decodingDefersTheSignatureCheckAndVerifyingLaterGivesTheSameAnswer() {
        byte[] raw = signed(REFRESHER, version(KEY, 7));

        var decoded = tokens.decode(KEY.asString(), raw, 0, 1);

        assertThat(((Version<TokenKey, TokenRefreshed>) decoded).verification()).isNull();
        assertThat(((Version<TokenKey, TokenRefreshed>) tokens.verify(decoded)).verified())
                .isTrue();
    }

    @Test
    void malformedBytesAreRejectedWithTheCodecsRuleOrAsAForgeryWhereSignaturesAreChecked() {
        var read = tokens.read(KEY.asString(), "not json".getBytes(StandardCharsets.UTF_8), 0, 1);

        assertThat(read).isInstanceOf(Rejected.class);
        Rejected<TokenKey, TokenRefreshed> rejected = (Rejected<TokenKey, TokenRefreshed>) read;
        // Unsigned as well: where signatures are checked, the forgery is what it is named for.
        assertThat(rejected.reason()).isEqualTo(Reason.UNVERIFIED);
        Rejected<TokenKey, TokenRefreshed> unchecked = (Rejected<TokenKey, TokenRefreshed>)
                unsignedTokens.read(KEY.asString(), "not json".getBytes(StandardCharsets.UTF_8), 0, 1);
        assertThat(unchecked.reason()).isEqualTo(Reason.UNDECODABLE);
        assertThat(unchecked.problem()).isEqualTo(Problem.MALFORMED_JSON);
        assertThat(unchecked.code()).isEqualTo("MALFORMED_JSON");
    }

    @Test
    void aGenuineRecordThatBreaksTheContractIsRejectedWithTheCodecsRule() {
        byte[] raw = new RecordSigner(REFRESHER)
                .sign(
                        "{\"type\":\"TokenRefreshed\",\"schemaVersion\":1,\"tokenKey\":\"wechat-access-token/wx0000000000000001\"}"
                                .getBytes(StandardCharsets.UTF_8));

        Rejected<TokenKey, TokenRefreshed> rejected =
                (Rejected<TokenKey, TokenRefreshed>) tokens.read(KEY.asString(), raw, 0, 1);

        assertThat(rejected.reason()).isEqualTo(Reason.UNDECODABLE);
        assertThat(rejected.code()).isEqualTo("MISSING_FIELD");
        // and it still names its signer, for reports of which keys retained records use
        assertThat(rejected.verification().kid()).isEqualTo("refresher-1");
    }

    @Test
    void aRecordFiledUnderAnotherKeyIsAKeyMismatchEvenUnsigned() {
        byte[] raw = EventCodec.json().encode(version(OTHER, 7));

        Rejected<TokenKey, TokenRefreshed> rejected =
                (Rejected<TokenKey, TokenRefreshed>) unsignedTokens.read(KEY.asString(), raw, 0, 1);

        assertThat(rejected.reason()).isEqualTo(Reason.KEY_MISMATCH);
        assertThat(rejected.code()).isEqualTo("KEY_MISMATCH");
        // Signed, the signature check names the same rule.
        Rejected<TokenKey, TokenRefreshed> signed = (Rejected<TokenKey, TokenRefreshed>)
                tokens.read(KEY.asString(), signed(REFRESHER, version(OTHER, 7)), 0, 1);
        assertThat(signed.code()).isEqualTo("KEY_MISMATCH");
    }

    @Test
    void aKeyThatIsNoTokenKeyIsRejectedBeforeTheValueIsRead() {
        var read = tokens.read("no-slash", signed(REFRESHER, version(KEY, 7)), 0, 1);

        assertThat(((Rejected<TokenKey, TokenRefreshed>) read).reason()).isEqualTo(Reason.INVALID_KEY);
        assertThat(((Rejected<TokenKey, TokenRefreshed>) tokens.read(null, null, 0, 2)).reason())
                .isEqualTo(Reason.INVALID_KEY);
        assertThat(tokens.key("no-slash")).isEmpty();
        assertThat(tokens.key(KEY.asString())).contains(KEY);
    }

    @Test
    void aNullValueIsABareTombstoneWithNothingToVerify() {
        var read = tokens.read(KEY.asString(), null, 0, 3);

        assertThat(read).isEqualTo(new Tombstone<TokenKey, TokenRefreshed>(KEY, 0, 3));
    }

    @Test
    void aRetirementIsReadAndVerifiedLikeAVersion() {
        TokenRetired retirement = TokenRetired.ofToken(KEY, 9, NOW, TokenRetired.REMOVED);

        var read = tokens.read(KEY.asString(), signed(REFRESHER, retirement), 0, 4);

        assertThat(read).isInstanceOf(Retired.class);
        assertThat(((Retired<TokenKey, TokenRefreshed>) read).event().version()).isEqualTo(9);
        assertThat(((Retired<TokenKey, TokenRefreshed>) read).verified()).isTrue();
        var misfiled = unsignedTokens.read(OTHER.asString(), EventCodec.json().encode(retirement), 0, 5);
        assertThat(((Rejected<TokenKey, TokenRefreshed>) misfiled).reason()).isEqualTo(Reason.KEY_MISMATCH);
    }

    @Test
    void aBadSignatureIsRejectedWithTheVerdict() {
        var read = tokens.read(KEY.asString(), signed(FORGER, version(KEY, 8)), 0, 6);

        Rejected<TokenKey, TokenRefreshed> rejected = (Rejected<TokenKey, TokenRefreshed>) read;
        assertThat(rejected.reason()).isEqualTo(Reason.UNVERIFIED);
        assertThat(rejected.verification().verdict()).isEqualTo(Verdict.BAD_SIGNATURE);
        assertThat(rejected.code()).isEqualTo("BAD_SIGNATURE");
        var unsigned = tokens.read(KEY.asString(), EventCodec.json().encode(version(KEY, 8)), 0, 7);
        assertThat(((Rejected<TokenKey, TokenRefreshed>) unsigned).code()).isEqualTo("UNSIGNED");
    }

    @Test
    void anotherTypeOnTheTopicIsUndecodable() {
        byte[] raw = "{\"type\":\"ConsumerHeartbeat\",\"schemaVersion\":1}".getBytes(StandardCharsets.UTF_8);

        var read = unsignedTokens.read(KEY.asString(), raw, 0, 8);

        assertThat(((Rejected<TokenKey, TokenRefreshed>) read).problem()).isEqualTo(Problem.WRONG_TYPE);
    }

    @Test
    void theCredentialsTopicFollowsTheSameRules() {
        RecordInterpreter<String, CredentialStored> credentials = RecordInterpreter.credentials(verifier);
        CredentialStored ticket = CredentialStored.of(
                        CredentialKind.COMPONENT_VERIFY_TICKET,
                        "wxcomponent01",
                        "ticket@@@1",
                        NOW,
                        NOW.plusSeconds(43_200),
                        CredentialSource.CALLBACK,
                        "refresher-a")
                .withVersion(3);
        String key = ticket.credentialKey();

        var read = credentials.read(key, signed(REFRESHER, ticket), 0, 1);
        var misfiled = credentials.read("component-ticket/wxother", signed(REFRESHER, ticket), 0, 2);
        var retired = credentials.read(
                key, signed(REFRESHER, TokenRetired.ofCredential(key, 4, NOW, TokenRetired.REMOVED)), 0, 3);

        assertThat(((Version<String, CredentialStored>) read).event().version()).isEqualTo(3);
        assertThat(((Version<String, CredentialStored>) read).verified()).isTrue();
        assertThat(((Rejected<String, CredentialStored>) misfiled).code()).isEqualTo("KEY_MISMATCH");
        assertThat(((Retired<String, CredentialStored>) retired).key()).isEqualTo(key);
        assertThat(((Rejected<String, CredentialStored>) credentials.read("x".repeat(201), null, 0, 4)).reason())
                .isEqualTo(Reason.INVALID_KEY);
    }
}
