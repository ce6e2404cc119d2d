package io.tokencast.consumer;

import static io.tokencast.consumer.Events.START;
import static io.tokencast.consumer.Events.key;
import static io.tokencast.consumer.Events.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.schema.TokenKey;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.MutableClock;
import io.tokencast.testkit.poison.PoisonGallery;
import io.tokencast.testkit.poison.PoisonGallery.Poison;
import io.tokencast.testkit.signing.TestRefresherKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * No record ends a view's reader (issue 14): the poison gallery between genuine versions, at cold start and
 * while following, leaves every view ready and serving the genuine tokens; and a reader that ends anyway says
 * so and reads again.
 */
class ViewIsolationIT {

    private static final Duration READY = Duration.ofSeconds(30);

    private final MutableClock clock = new MutableClock(START.plus(Duration.ofMinutes(70)));
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }

    @Test
    void poisonBetweenGenuineVersionsNeverStopsAViewNorReplacesAToken() {
        // given a genuine v1, the whole gallery, then a genuine v2, before any view starts
        TokenTopic topic = topic();
        TokenKey key = key("wx00000000000000a1");
        List<Poison> gallery = PoisonGallery.of(version(key, 1));
        topic.send(version(key, 1));
        gallery.forEach(poison -> topic.send(poison.key(), poison.value()));
        topic.send(version(key, 2));
        topic.flush();

        // when a view starts
        TokenView view = started();
        view.awaitReady(READY);

        // then it serves v2, counted every poison record, and its reader is fine
        assertThat(view.token(key).version()).isEqualTo(2);
        assertThat(view.keys()).containsExactly(key);
        assertThat(view.stats().malformedSkipped()).isEqualTo(gallery.size());
        assertThat(view.stats().readerAlive()).isTrue();

        // and while following: the gallery again, then v3
        gallery.forEach(poison -> topic.send(poison.key(), poison.value()));
        topic.send(version(key, 3));
        topic.flush();
        await().atMost(Duration.ofSeconds(20)).until(() -> view.token(key).version() == 3);
        assertThat(view.stats().malformedSkipped()).isEqualTo(2L * gallery.size());
        assertThat(view.stats().readerAlive()).isTrue();

        // and a view started after all of it becomes ready too (a compacted topic keeps poison forever)
        TokenView later = started();
        later.awaitReady(READY);
        assertThat(later.token(key).version()).isEqualTo(3);
    }

    @Test
    void aReaderThatEndsOnAnErrorSaysSoAndAnotherReadsOn() {
        // given a ready view whose listener throws an Error once, which the reader's loop does not catch
        TokenTopic topic = topic();
        TokenKey key = key("wx00000000000000a2");
        topic.send(version(key, 1));
        topic.flush();
        TokenView view = started();
        view.awaitReady(READY);
        AtomicBoolean thrown = new AtomicBoolean();
        view.addListener(token -> {
            if (token.version() == 2 && thrown.compareAndSet(false, true)) {
                throw new StackOverflowError("a listener's bug");
            }
        });

        // when v2 arrives, the listener ends the reader thread
        topic.send(version(key, 2));
        topic.flush();
        await().atMost(Duration.ofSeconds(20)).until(() -> view.stats().readerFailures() >= 1);

        // then a new reader follows the topic: v3 is served and the view says it reads again
        topic.send(version(key, 3));
        topic.flush();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(view.token(key).version()).isEqualTo(3);
            assertThat(view.stats().readerAlive()).isTrue();
        });
        assertThat(view.stats().readerFailures()).isEqualTo(1);
    }

    private TokenTopic topic() {
        TokenTopic topic = TokenTopic.compacted("poison", 1);
        closeables.add(topic);
        return topic;
    }

    private TokenView started() {
        TokenView view = TokenView.builder()
                .bootstrapServers(TokenTopic.bootstrapServers())
                .refresherKeys(TestRefresherKey.shared().verificationKeys())
                .topic(topicName())
                .clientId(LocalInfrastructure.uniqueName("view"))
                .clock(clock)
                .build();
        closeables.add(0, view);
        return view.start();
    }

    private String topicName() {
        return closeables.stream()
                .filter(TokenTopic.class::isInstance)
                .map(c -> ((TokenTopic) c).name)
                .findFirst()
                .orElseThrow();
    }
}
