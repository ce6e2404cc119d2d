package io.tokencast.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RotationRetryTest {

    @Test
    void readsTheTopLevelErrcodeOfAWeChatError() {
        assertThat(errcode("{\"errcode\":40001,\"errmsg\":\"invalid credential\"}"))
                .isEqualTo(40001);
        assertThat(errcode("  {\"errmsg\":\"expired\", \"errcode\" : 42001}")).isEqualTo(42001);
    }

    @Test
    void anAnswerWithoutAnErrcodeOrNotAJsonObjectHasNone() {
        assertThat(errcode("{\"openid\":\"o-1\",\"nickname\":\"n\"}")).isZero();
        assertThat(errcode("[{\"errcode\":40001}]")).isZero();
        assertThat(errcode("errcode 40001")).isZero();
        assertThat(errcode("")).isZero();
    }

    @Test
    void anErrcodeInsideAMemberOrAStringIsNotTheAnswers() {
        assertThat(errcode("{\"result\":{\"errcode\":40001},\"errcode\":0}")).isZero();
        assertThat(errcode("{\"note\":\"\\\"errcode\\\":40001\"}")).isZero();
        assertThat(errcode("{\"errcode\":\"40001\"}")).isZero();
    }

    @Test
    void onlyTheBytesUpToTheLengthCount() {
        byte[] body = "{\"errcode\":40014}{\"errcode\":40001}".getBytes(StandardCharsets.UTF_8);
        assertThat(RotationRetry.errcode(body, 17)).isEqualTo(40014);
        assertThat(RotationRetry.errcode(body, 10)).isZero();
    }

    @Test
    void refusesTokenOnlyForTheRotationErrcodes() {
        assertThat(RotationRetry.refusesToken(40001)).isTrue();
        assertThat(RotationRetry.refusesToken(40014)).isTrue();
        assertThat(RotationRetry.refusesToken(42001)).isTrue();
        assertThat(RotationRetry.refusesToken(0)).isFalse();
        assertThat(RotationRetry.refusesToken(45009)).isFalse();
    }

    private static int errcode(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return RotationRetry.errcode(bytes, bytes.length);
    }
}
