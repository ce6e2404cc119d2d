package io.tokencast.refresher.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The check every failing fetch in the WeChat client's tests makes: the failure names the key and quotes the
 * secret nowhere, raw or URL-encoded, not even in its stack trace.
 */
final class FetchFailures {

    private FetchFailures() {}

    /** The {@link WeChatException} of fetching {@code credential}, checked to keep {@code secret} out. */
    static WeChatException fetchFails(
            WeChatHttpClient client, ManagedCredential credential, FetchMode mode, String secret) {
        try {
            FetchedToken token = client.fetch(credential, mode);
            return fail("expected a WeChatException, got " + token);
        } catch (WeChatException e) {
            String everything = stackTrace(e);
            assertThat(e.getMessage()).contains(credential.key().asString());
            assertThat(everything)
                    .doesNotContain(secret)
                    .doesNotContain(URLEncoder.encode(secret, StandardCharsets.UTF_8));
            return e;
        }
    }

    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
