package io.tokencast.testkit.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MiniProgramEndpointsTest extends SandboxTest {

    private static final String APP = "wx0000000000000021";
    private static final String SECRET = "app-secret-21";
    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T02:00:00Z"));

    @Override
    WeChatSandbox startSandbox() {
        return WeChatSandbox.start(clock).registerApp(APP, SECRET);
    }

    @Test
    void businessCallsSucceedWithAValidTokenAndAreCountedForItsApp() {
        // given
        String token = client.classicToken(APP, SECRET).text("access_token");

        // when
        SandboxClient.Response unionId =
                client.get(WeChatEndpoint.WXA_GET_PAID_UNIONID.path(), "access_token", token, "openid", "o-1");
        SandboxClient.Response check = client.postJson(
                WeChatEndpoint.WXA_MSG_SEC_CHECK.path(), Map.of("content", "hello"), "access_token", token);

        // then
        assertThat(unionId.errcode()).isZero();
        assertThat(unionId.text("unionid")).startsWith("o");
        assertThat(client.get(WeChatEndpoint.WXA_GET_PAID_UNIONID.path(), "access_token", token, "openid", "o-1")
                        .text("unionid"))
                .isEqualTo(unionId.text("unionid"));
        assertThat(check.errcode()).isZero();
        assertThat(sandbox.calls(APP, WeChatEndpoint.WXA_MSG_SEC_CHECK)).isEqualTo(1);
    }

    @Test
    void businessCallsJudgeTokensAsWeChatDoes() {
        // given
        String first = client.classicToken(APP, SECRET).text("access_token");
        String path = WeChatEndpoint.WXA_GET_PAID_UNIONID.path();

        // when a second fetch supersedes the first, and the overlap passes
        String second = client.classicToken(APP, SECRET).text("access_token");
        SandboxClient.Response duringOverlap = client.get(path, "access_token", first, "openid", "o");
        clock.advance(Duration.ofSeconds(301));

        // then
        assertThat(duringOverlap.errcode()).isZero();
        assertThat(client.get(path, "access_token", first, "openid", "o").errcode())
                .isEqualTo(40001);
        assertThat(client.get(path, "openid", "o").errcode()).isEqualTo(41001);
        assertThat(client.get(path, "access_token", second).errcode()).isEqualTo(40003);
        clock.advance(Duration.ofHours(2));
        assertThat(client.get(path, "access_token", second, "openid", "o").errcode())
                .isEqualTo(42001);
        assertThat(client.postJson(
                                WeChatEndpoint.WXA_MSG_SEC_CHECK.path(),
                                Map.of("content", "forbidden words"),
                                "access_token",
                                client.classicToken(APP, SECRET).text("access_token"))
                        .errcode())
                .isEqualTo(87014);
    }
}
