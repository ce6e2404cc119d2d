package io.tokencast.refresher.service;

import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.MutableClock;
import java.util.List;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;

/** One classic app on a {@link RefresherCluster}, for the fleet tests outside this package. */
public final class FleetTestCluster implements AutoCloseable {

    private final TestApp app = TestApp.of(0xf1ee7, 0, "classic");
    private final RefresherCluster cluster = new RefresherCluster(List.of(app));

    public ConfigurableApplicationContext start(String instanceId) {
        return cluster.start(instanceId);
    }

    public ConfigurableApplicationContext context(String instanceId) {
        return cluster.context(instanceId);
    }

    public TokenKey key() {
        return app.key();
    }

    public MutableClock clock() {
        return cluster.clock;
    }

    public String tokensTopic() {
        return cluster.tokensTopic;
    }

    public String adminTopic() {
        return cluster.tokensTopic + "-admin";
    }

    /** A manual refresh of {@code key}, signed by the cluster's operator, as the admin topic takes it. */
    public byte[] signedManualRefresh(TokenKey key) {
        return cluster.operator.sign(cluster.operator.manual(key, false, cluster.clock.instant()));
    }

    public String consumersTopic() {
        return cluster.tokensTopic + "-consumers";
    }

    /** The version Redis holds now. */
    public TokenRefreshed stored(TokenKey key) {
        return cluster.stored().get(key).token();
    }

    /** A version of the key as published on the tokens topic. */
    public TokenRefreshed topicVersion(TokenKey key, long version) {
        return cluster.topics.tokens(cluster.tokensTopic).stream()
                .filter(t -> t.tokenKey().equals(key) && t.version() == version)
                .findFirst()
                .orElseThrow();
    }

    /** The newest version of each key on the topic. */
    public Map<TokenKey, TokenRefreshed> latest() {
        return cluster.latest();
    }

    @Override
    public void close() {
        cluster.closeAfterCheckingNoSecretsLeaked();
    }
}
