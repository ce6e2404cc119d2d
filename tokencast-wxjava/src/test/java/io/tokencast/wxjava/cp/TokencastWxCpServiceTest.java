package io.tokencast.wxjava.cp;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.consumer.FakeTokenView;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokencastWxCpServiceTest {

    private static final TokenKey KEY = TokenKey.of(TokenKind.WECOM_ACCESS_TOKEN, "ww0123456789.1000002");

    private final FakeTokenView view = new FakeTokenView();
    private final TokencastWxCpConfigStorage storage =
            new TokencastWxCpConfigStorage(view, "ww0123456789", 1000002, Duration.ofMillis(300));
    private final TokencastWxCpService service = new TokencastWxCpService();

    TokencastWxCpServiceTest() {
        service.setWxCpConfigStorage(storage);
    }

    @Test
    void readsTheAgentsKeyAndTreatsAForcedRefreshAsAHint() throws Exception {
        view.put(KEY, "token-1");
        view.onReport(report -> view.put(KEY, "token-2"));

        assertThat(service.getAccessToken()).isEqualTo("token-1");
        assertThat(service.getAccessToken(true)).isEqualTo("token-2");
        assertThat(view.reports()).hasSize(1);
    }
}
