package io.tokencast.refresher.service;

import io.tokencast.refresher.config.CredentialCatalog;
import io.tokencast.refresher.service.admin.AdminSettingsCheck;
import io.tokencast.refresher.service.config.ConfiguredApps;
import io.tokencast.refresher.service.config.InvalidConfigurationException;
import io.tokencast.refresher.service.config.SettingsProblems;
import io.tokencast.refresher.service.config.TokencastProperties;
import io.tokencast.refresher.service.publish.TopicSettingsCheck;
import io.tokencast.refresher.service.quota.QuotaSettingsCheck;
import io.tokencast.refresher.service.refresh.RefreshSettingsCheck;
import io.tokencast.refresher.wechat.ManagedCredential;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks every {@code tokencast.*} property by asking each feature to check its own (topics, WeChat hosts,
 * refresh, quota, admin, apps) and collects all problems, so an operator fixes them in one round instead of one
 * restart per mistake. A new setting's rule belongs with its feature's check, not here. Never puts a secret into
 * a problem.
 */
public final class ConfigurationCheck {

    private ConfigurationCheck() {}

    /**
     * The catalog of {@code tokencast.apps}.
     *
     * @throws InvalidConfigurationException listing every problem of the properties
     */
    public static CredentialCatalog catalog(TokencastProperties properties) {
        return catalog(properties, List.of(), List.of(), CredentialCatalog.Registry.NONE);
    }

    /**
     * The catalog of {@code tokencast.apps} plus credentials configured elsewhere (the open platform's), whose
     * problems are reported together with those of the properties, plus the credentials the registry holds.
     *
     * @throws InvalidConfigurationException listing every problem
     */
    public static CredentialCatalog catalog(
            TokencastProperties properties,
            List<ManagedCredential> more,
            List<String> moreProblems,
            CredentialCatalog.Registry registry) {
        SettingsProblems problems = new SettingsProblems();
        if (properties.instanceId() == null || properties.instanceId().isBlank()) {
            problems.add("tokencast.instance-id", "blank; name this replica (default ${HOSTNAME:refresher})");
        }
        TopicSettingsCheck.check(properties.topics(), problems);
        WeChatHostsCheck.check("tokencast.wechat", properties.wechat(), problems);
        WeChatHostsCheck.check("tokencast.wecom", properties.wecom(), problems);
        RefreshSettingsCheck.check(properties.refresh(), problems);
        QuotaSettingsCheck.check(properties.quota(), problems);
        AdminSettingsCheck.check(properties.admin(), problems);
        ConfiguredApps apps = ConfiguredApps.check(properties.apps(), problems);
        problems.addAll(moreProblems);
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems.list());
        }
        List<ManagedCredential> configured = new ArrayList<>(apps.credentials());
        configured.addAll(more);
        return new CredentialCatalog(configured, registry);
    }
}
