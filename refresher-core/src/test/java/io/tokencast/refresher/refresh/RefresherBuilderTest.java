package io.tokencast.refresher.refresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.refresher.wechat.WeChatApi;
import io.tokencast.schema.RefreshReason;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class RefresherBuilderTest {

    private static final TokenKey KEY = TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, "wxbuilt");

    private final RefresherFixture fixture = new RefresherFixture();

    @Test
    void buildsAWorkingRefresherFromItsPortsAlone() {
        Refresher refresher = fixture.refresher("builder-test", new ManagedCredential(KEY, WeChatApi.STABLE, "secret"))
                .build();

        RefreshOutcome outcome = refresher.refresh(KEY, RefreshReason.STARTUP, null);

        assertThat(outcome.result()).isEqualTo(RefreshOutcome.Result.REFRESHED);
        assertThat(fixture.store.read(KEY).version()).isEqualTo(1);
        assertThat(fixture.publisher.tokens).singleElement().satisfies(e -> assertThat(e.refresher())
                .isEqualTo("builder-test"));
        assertThat(fixture.publisher.audit).singleElement();
        assertThat(fixture.meters.find("tokencast.refresh").counters()).isNotEmpty();
    }

    @Test
    void namesThePortThatIsMissing() {
        assertThatThrownBy(() -> Refresher.builder()
                        .credentials(List.of())
                        .store(fixture.store)
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("locks");
    }
}
