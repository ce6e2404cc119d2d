/**
 * A sandbox of WeChat's credential APIs for tests and the demo (see docs/wechat-api.md).
 *
 * <pre>{@code
 * MutableClock clock = new MutableClock(Instant.parse("2025-03-01T02:00:00Z"));
 * try (WeChatSandbox wechat = WeChatSandbox.start(clock).registerApp("wx0123456789abcdef", "secret")) {
 *     // point the refresher's api.weixin and qyapi base URLs at wechat.url()
 *     clock.advance(Duration.ofSeconds(301));          // cross the 5-minute overlap
 *     assertThat(wechat.checkToken(token)).isEqualTo(40001);
 * }
 * }</pre>
 *
 * <p>Standalone: {@code java -cp … io.tokencast.testkit.wechat.WeChatSandboxMain --port 0 --app wx1:secret}
 * prints its base URL on a line of its own; {@code --help} lists the options.
 */
package io.tokencast.testkit.wechat;
