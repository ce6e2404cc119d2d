package io.tokencast.cli;

import io.tokencast.consumer.TokenView;
import io.tokencast.refresher.service.testing.RunningRefreshers;
import io.tokencast.refresher.service.testing.TestRefresher;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.MutableClock;
import io.tokencast.testkit.wechat.WeChatSandbox;
import io.tokencast.trust.encryption.EncryptionKeyring;
import io.tokencast.trust.signing.VerificationKeys;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the CLI's integration tests run against: the WeChat sandbox on a clock near real time (the broker refuses
 * record timestamps far in the future, and the CLI takes its audit window from the wall clock), a real refresher
 * ({@link TestRefresher}) that trusts the test's operator, token views over its topic, and the CLI itself.
 */
final class RefresherRig implements AutoCloseable {

    final MutableClock clock = new MutableClock(Instant.now());
    final WeChatSandbox sandbox = WeChatSandbox.start(clock);
    final TestRefresher refresher;
    private final RunningRefreshers running;
    private final List<TokenView> views = new ArrayList<>();

    RefresherRig(String name, OperatorKeyFiles operator) {
        refresher = TestRefresher.named(name, clock).sandbox(sandbox).properties(List.of(operator.refresherProperty()));
        running = new RunningRefreshers(refresher);
    }

    /** A WeChat app, registered in the sandbox and managed by the refresher. */
    RefresherRig wechatApp(String appid, String secret, String api) {
        sandbox.registerApp(appid, secret);
        refresher.wechatApp(appid, secret, api);
        return this;
    }

    /** Starts the replica {@code instanceId} with {@code more} properties on top of the refresher's. */
    ConfigurableApplicationContext start(String instanceId, Map<String, String> more) {
        return running.start(instanceId, more);
    }

    void stop(String instanceId) {
        running.stop(instanceId);
    }

    /** A started view over the tokens topic, as a service embeds it; closed with the rig. */
    TokenView view(VerificationKeys trusted, EncryptionKeyring keyring) {
        TokenView.Builder builder = TokenView.builder()
                .bootstrapServers(LocalInfrastructure.shared().kafkaBootstrapServers())
                .topic(refresher.tokensTopic())
                .refresherKeys(trusted)
                .clientId(LocalInfrastructure.uniqueName(refresher.name() + "-view"))
                .clock(clock);
        if (keyring != null) {
            builder.encryptionKeyring(keyring);
        }
        TokenView view = builder.build().start();
        views.add(view);
        return view;
    }

    /** The CLI's connection to the refresher's topics: broker, tokens, audit and admin topic. */
    List<String> connection() {
        return List.of(
                "--bootstrap-servers",
                LocalInfrastructure.shared().kafkaBootstrapServers(),
                "--tokens-topic",
                refresher.tokensTopic(),
                "--audit-topic",
                refresher.auditTopic(),
                "--admin-topic",
                refresher.adminTopic());
    }

    /** Runs {@code tokencast <args>} in this JVM, on the wall clock. */
    static Run cli(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TokencastCli.run(
                Clock.systemUTC(), new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    /** Runs {@code tokencast <args> <connection>}. */
    Run connected(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(connection());
        return cli(all);
    }

    @Override
    public void close() {
        try {
            views.forEach(TokenView::close);
            running.close();
        } finally {
            sandbox.close();
        }
    }

    record Run(int code, String out, String err) {}
}
