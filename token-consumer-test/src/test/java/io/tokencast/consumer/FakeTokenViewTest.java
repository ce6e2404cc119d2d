package io.tokencast.consumer;

import static io.tokencast.consumer.Events.START;
import static io.tokencast.consumer.Events.key;
import static io.tokencast.consumer.Events.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-fed view behaves like the real one: versions, expiry, staleness, removal, readiness, listeners. */
class FakeTokenViewTest {

    private final MutableClock clock = new MutableClock(START);
    private final FakeTokenView view = new FakeTokenView(clock);
    private final TokenKey key = key("wx0000000000000001");

    @Test
    void servesTheNewestVersionAndIgnoresOlderOnes() {
        view.put(version(key, 2, START));
        boolean appliedOlder = view.put(version(key, 1, START));

        assertThat(appliedOlder).isFalse();
        assertThat(view.token(key).version()).isEqualTo(2);
        assertThat(view.stats().olderVersionsIgnored()).isEqualTo(1);
        assertThat(view.snapshot()).containsOnlyKeys(key);
    }

    @Test
    void putByValueAssignsTheNextVersion() {
        view.put(key, "first");
        Token second = view.put(key, "second");

        assertThat(second.version()).isEqualTo(2);
        assertThat(view.token(key)).isEqualTo(second);
        assertThat(view.token(key).value()).isEqualTo("second");
    }

    @Test
    void anExpiredTokenIsNeverServed() {
        TokenRefreshed event = version(key, 1, START);
        view.put(event);
        clock.set(event.expiresAt().minusMillis(1));
        assertThat(view.token(key).version()).isEqualTo(1);

        clock.set(event.expiresAt());

        assertThat(view.state(key)).isEqualTo(TokenState.EXPIRED);
        assertThat(view.find(key)).isEmpty();
        assertThatThrownBy(() -> view.token(key))
                .isInstanceOf(TokenExpiredException.class)
                .hasMessageContaining(key.asString())
                .hasMessageContaining("refresher")
                .satisfies(
                        e -> assertThat(((TokenExpiredException) e).expiresAt()).isEqualTo(event.expiresAt()))
                .satisfies(
                        e -> assertThat(((TokenUnavailableException) e).key()).contains(key));
    }

    @Test
    void aTokenIsStaleOnceTheRefresherIsLatePastTheGrace() {
        TokenRefreshed event = version(key, 1, START);
        view.put(event);

        clock.set(event.nextRefreshAt().plus(Duration.ofMinutes(2)).minusMillis(1));
        assertThat(view.state(key)).isEqualTo(TokenState.FRESH);
        clock.set(event.nextRefreshAt().plus(Duration.ofMinutes(2)));
        assertThat(view.state(key)).isEqualTo(TokenState.STALE);
        assertThat(view.token(key).version()).isEqualTo(1);
    }

    @Test
    void aRemovedKeyThrowsTokenRemovedAndIsNoLongerListed() {
        view.put(key, "value");
        view.remove(key);

        assertThat(view.keys()).isEmpty();
        assertThat(view.state(key)).isEqualTo(TokenState.ABSENT);
        assertThatThrownBy(() -> view.token(key))
                .isInstanceOf(TokenRemovedException.class)
                .hasMessageContaining(key.asString());
    }

    @Test
    void aKeyAddedBackAfterRemovalIsServedAgainWithAHigherVersion() {
        view.put(key, "one");
        view.remove(key);

        Token back = view.put(key, "two");

        assertThat(back.version()).isEqualTo(2);
        assertThat(view.token(key).value()).isEqualTo("two");
    }

    @Test
    void anUnknownKeyThrowsNamingTheKeyAndTheFix() {
        assertThatThrownBy(() -> view.token(key))
                .isInstanceOf(UnknownTokenException.class)
                .hasMessageContaining(key.asString())
                .hasMessageContaining("tokencast.apps");
        assertThat(view.state(key)).isEqualTo(TokenState.ABSENT);
    }

    @Test
    void nothingIsServedUntilTheViewIsReady() {
        view.put(key, "value");
        view.notReady();

        assertThatThrownBy(() -> view.token(key)).isInstanceOf(TokenNotReadyException.class);
        assertThat(view.find(key)).isEmpty();
        assertThatThrownBy(() -> view.awaitReady(Duration.ofMillis(10))).isInstanceOf(TokenNotReadyException.class);

        view.ready();
        view.awaitReady(Duration.ZERO);
        assertThat(view.token(key).value()).isEqualTo("value");
    }

    @Test
    void listenersHearRefreshesAndRemovalsAndAFailingListenerStopsNothing() {
        List<String> heard = new ArrayList<>();
        view.addListener(token -> {
            throw new IllegalStateException("listener bug");
        });
        view.addListener(new TokenChangeListener() {
            @Override
            public void tokenRefreshed(Token token) {
                heard.add("v" + token.version());
            }

            @Override
            public void tokenRemoved(TokenKey removed) {
                heard.add("removed " + removed);
            }
        });

        view.put(key, "one");
        view.put(version(key, 1, START)); // older: not heard
        view.put(key, "two");
        view.remove(key);

        assertThat(heard).containsExactly("v1", "v2", "removed " + key);
    }

    @Test
    void reportsBrokerContactLostPastTheDefaultThresholdWhileStillServingTokens() {
        // given a view in contact, holding a token
        view.put(key, "token");
        assertThat(view.brokerContact().lost()).isFalse();
        assertThat(view.brokerContact().lastContactAt()).contains(START);

        // when the broker goes down and the default threshold passes
        view.brokerDown();
        clock.advance(TokenView.Builder.DEFAULT_BROKER_CONTACT_LOST_AFTER);
        assertThat(view.brokerContact().lost()).isFalse();
        clock.advance(Duration.ofSeconds(1));

        // then contact is lost since the moment it went down, and the token is still served
        BrokerContact lost = view.brokerContact();
        assertThat(lost.lost()).isTrue();
        assertThat(lost.lastContactAt()).contains(START);
        assertThat(lost.silentFor()).isEqualTo(Duration.ofSeconds(31));
        assertThat(view.token(key).value()).isEqualTo("token");

        // when it comes back, then contact is current again
        view.brokerUp();
        assertThat(view.brokerContact().lost()).isFalse();
        assertThat(view.brokerContact().lastContactAt()).contains(clock.instant());
    }

    @Test
    void aTokenNeverPrintsItsValue() {
        Token token = view.put(key, "s3cr3t-token-value");

        assertThat(token.toString())
                .doesNotContain("s3cr3t")
                .contains("redacted")
                .contains(token.fingerprint());
    }
}
