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

    @Test
    void theCorpsAndTheAppsDistributedTicketsComeFromTheViewAForcedOneIsAHint() throws Exception {
        TokenKey corpTicket = TokenKey.of(TokenKind.WECOM_JSAPI_TICKET, "ww0123456789");
        TokenKey agentTicket = TokenKey.of(TokenKind.WECOM_AGENT_JSAPI_TICKET, "ww0123456789.1000002");
        view.put(corpTicket, "corp-ticket-1");
        view.put(agentTicket, "agent-ticket-1");
        view.onReport(report -> view.put(agentTicket, "agent-ticket-2"));

        assertThat(service.getJsapiTicket()).isEqualTo("corp-ticket-1");
        assertThat(storage.getJsapiTicket()).isEqualTo("corp-ticket-1");
        assertThat(service.getAgentJsapiTicket()).isEqualTo("agent-ticket-1");
        assertThat(service.getAgentJsapiTicket(true)).isEqualTo("agent-ticket-2");
        assertThat(view.reports()).hasSize(1);
        storage.updateAgentJsapiTicket("fetched-by-wxjava", 7200);
        assertThat(storage.getAgentJsapiTicket()).isEqualTo("agent-ticket-2");
    }

    @Test
    void ticketsTheRefresherDoesNotPublishStayWithWxJava() {
        assertThat(storage.ticketCredential(false)).isNull();
        storage.updateJsapiTicket("corp-ticket-from-wxjava", 7200);

        assertThat(storage.getJsapiTicket()).isEqualTo("corp-ticket-from-wxjava");
        assertThat(storage.isJsapiTicketExpired()).isFalse();
    }
}
