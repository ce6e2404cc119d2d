package io.tokencast.testkit.wechat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A test against a sandbox of its own: started before each test on the test's clock with the test's
 * accounts, talked to through a {@link SandboxClient}, stopped after the test.
 */
abstract class SandboxTest {

    WeChatSandbox sandbox;
    SandboxClient client;

    /** Starts the sandbox a test talks to, its accounts registered. */
    abstract WeChatSandbox startSandbox();

    @BeforeEach
    final void startTheSandbox() {
        use(startSandbox());
    }

    @AfterEach
    final void stopTheSandbox() {
        sandbox.stop();
    }

    /** Points the test at {@code started}, for a test that restarts the sandbox with other settings. */
    final void use(WeChatSandbox started) {
        sandbox = started;
        client = new SandboxClient(started.url());
    }
}
