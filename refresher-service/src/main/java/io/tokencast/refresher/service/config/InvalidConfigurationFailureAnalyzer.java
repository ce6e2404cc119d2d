package io.tokencast.refresher.service.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an {@link InvalidConfigurationException} into Spring Boot's "APPLICATION FAILED TO START" report. */
class InvalidConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidConfigurationException cause) {
        return new FailureAnalysis(
                cause.getMessage(),
                "Fix the properties listed above (in application.yml, as environment variables such as"
                        + " TOKENCAST_APPS_0_SECRET, or as --tokencast.… arguments) and start again. Supported"
                        + " credentials: kind wechat-access-token with api stable or classic (account = appid), and"
                        + " kind wecom-access-token (account = corpid.agentid), kinds wechat-jsapi-ticket and"
                        + " wechat-card-ticket (account = the appid of a configured wechat-access-token, no secret),"
                        + " kind wecom-jsapi-ticket (account = the corpid of a configured wecom-access-token) and"
                        + " kind wecom-agent-jsapi-ticket (account = corpid.agentid of a configured"
                        + " wecom-access-token), no secret;"
                        + " third-party platforms under tokencast.open-platform.components and .authorizers.",
                cause);
    }
}
