package io.tokencast.testkit.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeChatSandboxMainTest {

    @Test
    void optionsRegisterAccountsAndScaleLifetimes() {
        // given
        List<String> args = List.of(
                "--port", "0",
                "--app", "wx0000000000000008:secret-8",
                "--wecom", "ww0000000000000008:1000002:agent-secret",
                "--token-lifetime", "180",
                "--overlap", "30");

        // when
        try (WeChatSandbox sandbox = WeChatSandboxMain.start(args)) {
            SandboxClient client = new SandboxClient(sandbox.url());

            // then
            assertThat(client.classicToken("wx0000000000000008", "secret-8").expiresIn())
                    .isEqualTo(180);
            assertThat(client.get("/cgi-bin/gettoken", "corpid", "ww0000000000000008", "corpsecret", "agent-secret")
                            .errcode())
                    .isZero();
            assertThat(sandbox.settings().overlap().toSeconds()).isEqualTo(30);
        }
    }

    @Test
    void aConfigFileAddsOptions(@TempDir Path dir) throws Exception {
        // given
        Path config = dir.resolve("sandbox.conf");
        Files.writeString(
                config,
                """
                # demo accounts
                app wx0000000000000009:secret-9
                component=wx00000000000000c9:csecret:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG:cbtoken
                authorizer wx00000000000000c9:wx00000000000000a9:refreshtoken@@@fixed
                """);

        // when
        try (WeChatSandbox sandbox = WeChatSandboxMain.start(List.of("--config", config.toString()))) {
            // then
            assertThat(new SandboxClient(sandbox.url())
                            .classicToken("wx0000000000000009", "secret-9")
                            .errcode())
                    .isZero();
        }
    }

    @Test
    void unknownOptionsAreRejectedWithTheUsage() {
        assertThatThrownBy(() -> WeChatSandboxMain.start(List.of("--bogus", "1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown option --bogus")
                .hasMessageContaining("usage: WeChatSandboxMain");
    }
}
