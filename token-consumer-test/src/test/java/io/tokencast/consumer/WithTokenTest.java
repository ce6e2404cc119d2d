package io.tokencast.consumer;

import static io.tokencast.consumer.Events.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** withToken reports a dead token, waits for the next version and retries exactly once. */
class WithTokenTest {

    private final FakeTokenView view = new FakeTokenView();
    private final TokenKey key = key("wx0000000000000002");
    private final List<String> tried = new ArrayList<>();

    /** A WeChat answer as a service's HTTP client would return it. */
    record Answer(int errcode, String body) {}

    private Answer weChat(Token token, int errcodeForFirstToken) {
        tried.add(token.value());
        return tried.size() == 1 ? new Answer(errcodeForFirstToken, "") : new Answer(0, "ok");
    }

    @Test
    void retriesOnceWithTheNextVersionWhenWeChatAnswersAnInvalidTokenErrcode() {
        view.put(key, "dead");
        view.onReport(report -> view.put(key, "fresh"));

        Answer answer = view.withToken(key, token -> weChat(token, 40001), Answer::errcode);

        assertThat(answer.body()).isEqualTo("ok");
        assertThat(tried).containsExactly("dead", "fresh");
        assertThat(view.reports()).singleElement().satisfies(report -> {
            assertThat(report.tokenKey()).isEqualTo(key);
            assertThat(report.ifFingerprint()).isEqualTo(io.tokencast.schema.Fingerprint.of("dead"));
            assertThat(report.reason()).isEqualTo(RefreshReason.INVALID_REPORTED);
        });
    }

    @Test
    void retriesOnceWhenTheCallThrowsARejectionForAnExpiredToken() throws IOException {
        view.put(key, "dead");
        view.onReport(report -> view.put(key, "fresh"));

        String body = view.withToken(key, token -> {
            tried.add(token.value());
            if (token.value().equals("dead")) {
                throw new TokenRejectedException(42001, "access_token expired");
            }
            return httpCallThatMayFail(token);
        });

        assertThat(body).isEqualTo("sent with fresh");
        assertThat(tried).containsExactly("dead", "fresh");
    }

    private static String httpCallThatMayFail(Token token) throws IOException {
        return "sent with " + token.value();
    }

    @Test
    void doesNotRetryOrReportOtherErrcodes() {
        view.put(key, "good");

        Answer answer = view.withToken(key, token -> weChat(token, 45009), Answer::errcode);

        assertThat(answer.errcode()).isEqualTo(45009);
        assertThat(tried).hasSize(1);
        assertThat(view.reports()).isEmpty();
    }

    @Test
    void aRejectionThatIsNotAboutTheTokenPropagatesWithoutRetry() {
        view.put(key, "good");

        assertThatThrownBy(() -> view.withToken(key, token -> {
                    tried.add(token.value());
                    throw new TokenRejectedException(48001, "api unauthorized");
                }))
                .isInstanceOf(TokenRejectedException.class)
                .hasMessageContaining("48001");
        assertThat(tried).hasSize(1);
        assertThat(view.reports()).isEmpty();
    }

    @Test
    void retriesExactlyOnceEvenWhenTheNextTokenIsRefusedToo() {
        view.put(key, "dead");
        view.onReport(report -> view.put(key, "also-dead"));

        int errcode = view.withToken(
                key,
                token -> {
                    tried.add(token.value());
                    return 40001;
                },
                code -> code);

        assertThat(errcode).isEqualTo(40001);
        assertThat(tried).containsExactly("dead", "also-dead");
        assertThat(view.reports()).hasSize(1);
    }

    @Test
    void returnsTheFirstAnswerWhenNoNewVersionArrivesInTime() {
        view.put(key, "dead");
        view.refreshTimeout(Duration.ofMillis(50));

        Answer answer = view.withToken(key, token -> weChat(token, 40014), Answer::errcode);

        assertThat(answer.errcode()).isEqualTo(40014);
        assertThat(tried).containsExactly("dead");
        assertThat(view.reports()).hasSize(1);
    }

    @Test
    void reportingATokenThatIsAlreadySupersededCompletesAtOnceWithoutAReport() {
        Token dead = view.put(key, "dead");
        view.put(key, "fresh");

        CompletableFuture<Token> next = view.reportInvalid(dead, 40001);

        assertThat(next).isCompletedWithValueMatching(token -> token.value().equals("fresh"));
        assertThat(view.reports()).isEmpty();
    }

    @Test
    void invalidTokenErrcodesAreExactlyTheThreeWeChatDocuments() {
        assertThat(TokenCall.INVALID_TOKEN_ERRCODES).containsExactlyInAnyOrder(40001, 40014, 42001);
        assertThat(new TokenRejectedException(40001, "invalid credential").tokenInvalid())
                .isTrue();
        assertThat(new TokenRejectedException(45009, "quota").tokenInvalid()).isFalse();
    }
}
