package io.tokencast.consumer.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokencast.consumer.FakeTokenView;
import io.tokencast.consumer.TokenView;
import io.tokencast.schema.TokenKey;
import io.tokencast.testkit.MutableClock;
import io.tokencast.testkit.signing.TestRefresherKey;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The starter maps tokencast.consumer.* onto a started view, a health indicator and gauges. */
class TokenConsumerAutoConfigurationTest {

    private static final TokenKey KEY = TokenKey.parse("wechat-access-token/wx00000000000000aa");

    // Port 1 refuses connections at once: the view starts and stays not ready, which is all these tests need.
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TokenConsumerAutoConfiguration.class))
            .withPropertyValues("tokencast.consumer.refresher-keys-file="
                    + TestRefresherKey.shared().publicJwkSetFile());

    @Test
    void startsAViewFromTheProperties() {
        runner.withPropertyValues(
                        "tokencast.consumer.bootstrap-servers=localhost:1",
                        "tokencast.consumer.topic=orders.tokens",
                        "tokencast.consumer.client-id=orders",
                        "tokencast.consumer.stale-grace=5m",
                        "tokencast.consumer.broker-contact-check-interval=2s",
                        "tokencast.consumer.broker-contact-lost-after=20s",
                        "tokencast.consumer.properties.request.timeout.ms=5000")
                .run(context -> {
                    assertThat(context).hasSingleBean(TokenView.class).hasSingleBean(HealthIndicator.class);
                    TokenConsumerProperties properties = context.getBean(TokenConsumerProperties.class);
                    assertThat(properties.getTopic()).isEqualTo("orders.tokens");
                    assertThat(properties.getReportsTopic()).isEqualTo("tokencast.token-reports");
                    assertThat(properties.getStaleGrace()).isEqualTo(Duration.ofMinutes(5));
                    assertThat(properties.getBrokerContactCheckInterval()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(properties.getBrokerContactLostAfter()).isEqualTo(Duration.ofSeconds(20));
                    assertThat(properties.getProperties()).containsEntry("request.timeout.ms", "5000");
                    assertThat(context.getBean(TokenView.class).toString())
                            .contains("orders.tokens")
                            .contains("orders");
                    assertThat(context.getBean(HealthIndicator.class).health().getStatus())
                            .isEqualTo(Status.DOWN);
                });
    }

    @Test
    void fallsBackToSpringKafkaBootstrapServers() {
        runner.withPropertyValues("spring.kafka.bootstrap-servers=localhost:1,localhost:2")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(TokenView.class);
                    assertThat(TokenConsumerAutoConfiguration.bootstrapServers(
                                    context.getBean(TokenConsumerProperties.class), context.getEnvironment()))
                            .isEqualTo("localhost:1,localhost:2");
                });
    }

    @Test
    void failsNamingThePropertyWhenNoKafkaIsConfigured() {
        runner.run(context -> assertThat(context)
                .hasFailed()
                .getFailure()
                .rootCause()
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("tokencast.consumer.bootstrap-servers"));
    }

    @Test
    void refusesToStartWithoutTheRefreshersKeysUnlessVerificationIsTurnedOff() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TokenConsumerAutoConfiguration.class))
                .withPropertyValues("tokencast.consumer.bootstrap-servers=localhost:1")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                        .hasMessageContaining("tokencast.consumer.refresher-keys-file")
                        .hasMessageContaining("tokencast.consumer.signature-verification=false"));
    }

    @Test
    void showsTheVerificationStateAndProviderInHealth() {
        runner.withPropertyValues("tokencast.consumer.bootstrap-servers=localhost:1")
                .run(context -> {
                    TokenView view = context.getBean(TokenView.class);
                    assertThat(view.signatureVerification().kids())
                            .containsExactly(TestRefresherKey.shared().kid());
                    assertThat(context.getBean(HealthIndicator.class).health().getDetails())
                            .containsEntry("signatureVerification", "ON")
                            .containsEntry("verificationPending", 0)
                            .containsEntry("signatureRejected", 0L)
                            .hasEntrySatisfying("cryptoProvider", provider -> assertThat((String) provider)
                                    .contains("BouncyCastle"));
                });
    }

    @Test
    void turnsVerificationOffOnlyWhenToldAndSaysSoInHealth() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TokenConsumerAutoConfiguration.class))
                .withPropertyValues(
                        "tokencast.consumer.bootstrap-servers=localhost:1",
                        "tokencast.consumer.signature-verification=false")
                .run(context -> {
                    assertThat(context.getBean(TokenView.class)
                                    .signatureVerification()
                                    .enabled())
                            .isFalse();
                    assertThat(context.getBean(HealthIndicator.class).health().getDetails())
                            .containsEntry("signatureVerification", "OFF");
                });
    }

    @Test
    void refusesAPrivateKeySetAsTheRefreshersKeys() {
        runner.withPropertyValues(
                        "tokencast.consumer.bootstrap-servers=localhost:1",
                        "tokencast.consumer.refresher-keys-file="
                                + TestRefresherKey.shared().privateJwkSetFile())
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                        .hasMessageContaining("tokencast.consumer.refresher-keys-file")
                        .hasMessageContaining("private key material"));
    }

    @Test
    void isAbsentWhenDisabled() {
        runner.withPropertyValues(
                        "tokencast.consumer.enabled=false", "tokencast.consumer.bootstrap-servers=localhost:1")
                .run(context -> assertThat(context)
                        .doesNotHaveBean(TokenView.class)
                        .doesNotHaveBean(HealthIndicator.class)
                        .doesNotHaveBean(MeterBinder.class));
    }

    @Test
    void backsOffForTheApplicationsOwnViewAndReportsItsHealthDownUntilReady() {
        FakeTokenView fake = new FakeTokenView().notReady();
        runner.withBean(TokenView.class, () -> fake).run(context -> {
            assertThat(context).hasSingleBean(TokenView.class);
            assertThat(context.getBean(TokenView.class)).isSameAs(fake);
            HealthIndicator health = context.getBean(HealthIndicator.class);
            assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);

            fake.ready();

            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            assertThat(health.health().getDetails()).containsEntry("ready", true);
        });
    }

    @Test
    void healthIsDownWhileARequiredKeyIsExpiredOrAbsent() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-26T00:00:00Z"));
        FakeTokenView fake = new FakeTokenView(clock);
        runner.withBean(TokenView.class, () -> fake)
                .withPropertyValues("tokencast.consumer.required-keys=" + KEY)
                .run(context -> {
                    HealthIndicator health = context.getBean(HealthIndicator.class);
                    assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);

                    fake.put(KEY, "token", clock.instant().plus(Duration.ofHours(2)));
                    assertThat(health.health().getStatus()).isEqualTo(Status.UP);

                    clock.advance(Duration.ofHours(2));
                    assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
                    assertThat(health.health().getDetails())
                            .extractingByKey("requiredKeys")
                            .asString()
                            .contains(KEY + "=EXPIRED");
                });
    }

    @Test
    void healthStaysUpWhileTokensAreServableAndShowsLostBrokerContactInItsDetails() {
        // given an application with a required key held by its view
        MutableClock clock = new MutableClock(Instant.parse("2026-11-26T00:00:00Z"));
        FakeTokenView fake = new FakeTokenView(clock);
        fake.put(KEY, "token", clock.instant().plus(Duration.ofHours(2)));
        runner.withBean(TokenView.class, () -> fake)
                .withPropertyValues("tokencast.consumer.required-keys=" + KEY)
                .run(context -> {
                    HealthIndicator health = context.getBean(HealthIndicator.class);
                    assertThat(health.health().getDetails())
                            .containsEntry("brokerContact", "OK")
                            .containsEntry("secondsSinceBrokerContact", 0L)
                            .containsEntry("recordsBehind", 0L);

                    // when the broker has been silent for longer than the threshold
                    Instant lastContact = clock.instant();
                    fake.brokerDown();
                    clock.advance(Duration.ofSeconds(45));

                    // then health is still UP, and its details say contact is lost and since when
                    assertThat(health.health().getStatus()).isEqualTo(Status.UP);
                    assertThat(health.health().getDetails())
                            .containsEntry("brokerContact", "LOST")
                            .containsEntry("secondsSinceBrokerContact", 45L)
                            .containsEntry("lastBrokerContactAt", lastContact.toString());

                    // when the broker answers again, then contact is OK again
                    fake.brokerUp();
                    assertThat(health.health().getDetails())
                            .containsEntry("brokerContact", "OK")
                            .containsEntry("secondsSinceBrokerContact", 0L);
                });
    }

    @Test
    void publishesTheSecondsSinceTheBrokerLastAnswered() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-26T00:00:00Z"));
        FakeTokenView fake = new FakeTokenView(clock);
        runner.withBean(TokenView.class, () -> fake).run(context -> {
            MeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(MeterBinder.class).bindTo(registry);
            assertThat(registry.get("tokencast.consumer.broker.silence").gauge().value())
                    .isZero();

            fake.brokerDown();
            clock.advance(Duration.ofMillis(12_500));

            assertThat(registry.get("tokencast.consumer.broker.silence").gauge().value())
                    .isEqualTo(12.5);
            assertThat(registry.get("tokencast.consumer.records.behind").gauge().value())
                    .isZero();
        });
    }

    @Test
    void rejectsARequiredKeyThatIsNotAKey() {
        runner.withBean(TokenView.class, FakeTokenView::new)
                .withPropertyValues("tokencast.consumer.required-keys=wx0123")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                        .hasMessageContaining("tokencast.consumer.required-keys")
                        .hasMessageContaining("<kind>/<account>"));
    }

    @Test
    void publishesGaugesPerKeyUsingTheApplicationsClock() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-26T00:00:00Z"));
        FakeTokenView fake = new FakeTokenView(clock);
        fake.put(KEY, "token", clock.instant().plus(Duration.ofHours(2)));
        runner.withBean(TokenView.class, () -> fake)
                .withBean(Clock.class, () -> clock)
                .run(context -> {
                    MeterRegistry registry = new SimpleMeterRegistry();
                    context.getBean(MeterBinder.class).bindTo(registry);
                    clock.advance(Duration.ofMinutes(30));
                    TokenKey later = TokenKey.parse("wechat-jsapi-ticket/wx00000000000000aa");
                    fake.put(later, "ticket");

                    assertThat(registry.get("tokencast.consumer.keys").gauge().value())
                            .isEqualTo(2);
                    assertThat(registry.get("tokencast.consumer.ready").gauge().value())
                            .isEqualTo(1);
                    assertThat(registry.get("tokencast.consumer.token.expiry")
                                    .tag("key", KEY.asString())
                                    .gauge()
                                    .value())
                            .isEqualTo(90 * 60);
                    assertThat(registry.get("tokencast.consumer.token.state")
                                    .tag("key", later.asString())
                                    .gauge()
                                    .value())
                            .isZero();
                });
    }

    @Test
    void configurationMetadataDescribesEveryProperty() throws IOException {
        String metadata = null;
        for (URL url : Collections.list(
                getClass().getClassLoader().getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (text.contains("tokencast.consumer")) {
                    metadata = text;
                }
            }
        }
        assertThat(metadata)
                .contains(
                        "tokencast.consumer.enabled",
                        "tokencast.consumer.bootstrap-servers",
                        "tokencast.consumer.topic",
                        "tokencast.consumer.reports-topic",
                        "tokencast.consumer.refresher-keys-file",
                        "tokencast.consumer.signature-verification",
                        "tokencast.consumer.client-id",
                        "tokencast.consumer.required-keys",
                        "tokencast.consumer.stale-grace",
                        "tokencast.consumer.ready-timeout",
                        "tokencast.consumer.refresh-timeout",
                        "tokencast.consumer.broker-contact-check-interval",
                        "tokencast.consumer.broker-contact-lost-after",
                        "tokencast.consumer.properties")
                .contains(
                        "\"tokencast.tokens\"",
                        "\"tokencast.token-reports\"",
                        "\"2m\"",
                        "\"10s\"",
                        "\"5s\"",
                        "\"30s\"");
    }
}
