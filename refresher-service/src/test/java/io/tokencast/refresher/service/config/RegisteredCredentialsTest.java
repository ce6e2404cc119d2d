package io.tokencast.refresher.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokencast.refresher.config.CredentialCatalog;
import io.tokencast.refresher.service.ConfigurationCheck;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.refresher.wechat.WeChatApi;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The catalog's credentials registered at runtime, read from its {@link CredentialCatalog.Registry}. */
class RegisteredCredentialsTest {

    private static final String SECRET = "test-only-secret-not-a-real-one1";
    private static final ManagedCredential CONFIGURED_AUTHORIZER = authorizer("wxcomponent1.wxconfigured1");
    private static final ManagedCredential FIRST = authorizer("wxcomponent1.wxauthorizer1");
    private static final ManagedCredential SECOND = authorizer("wxcomponent1.wxauthorizer2");

    private final List<ManagedCredential> shared = new CopyOnWriteArrayList<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final CredentialCatalog catalog = ConfigurationCheck.catalog(
            TestProperties.of(
                            "tokencast.apps[0].kind", "wechat-access-token",
                            "tokencast.apps[0].account", "wx0000000000000001",
                            "tokencast.apps[0].secret", SECRET)
                    .bind(),
            List.of(CONFIGURED_AUTHORIZER),
            List.of(),
            () -> {
                reads.incrementAndGet();
                return List.copyOf(shared);
            });

    {
        catalog.addListener(new CredentialCatalog.Listener() {
            @Override
            public void registered(ManagedCredential credential) {
                heard.add("registered " + credential.key().account());
            }

            @Override
            public void retired(ManagedCredential credential) {
                heard.add("retired " + credential.key().account());
            }
        });
    }

    private static ManagedCredential authorizer(String account) {
        return new ManagedCredential(
                TokenKey.of(TokenKind.WECHAT_AUTHORIZER_ACCESS_TOKEN, account), WeChatApi.AUTHORIZER, null);
    }

    private List<String> accounts() {
        return catalog.all().stream().map(c -> c.key().account()).toList();
    }

    @Test
    void listsCredentialsRegisteredElsewhereAfterAReload() {
        shared.add(FIRST);
        assertThat(accounts()).containsExactly("wx0000000000000001", "wxcomponent1.wxconfigured1");

        catalog.reload();

        assertThat(accounts())
                .containsExactly("wx0000000000000001", "wxcomponent1.wxconfigured1", "wxcomponent1.wxauthorizer1");
        assertThat(heard).containsExactly("registered wxcomponent1.wxauthorizer1");
    }

    @Test
    void dropsARetiredCredentialAndTellsTheListeners() {
        shared.addAll(List.of(FIRST, SECOND));
        catalog.reload();

        shared.remove(FIRST);
        catalog.reload();

        assertThat(catalog.find(FIRST.key())).isEmpty();
        assertThat(catalog.find(SECOND.key())).contains(SECOND);
        assertThat(heard)
                .containsExactly(
                        "registered wxcomponent1.wxauthorizer1",
                        "registered wxcomponent1.wxauthorizer2",
                        "retired wxcomponent1.wxauthorizer1");
    }

    @Test
    void findsACredentialRegisteredAMomentAgoWithoutWaitingForTheNextReload() {
        shared.add(FIRST);

        assertThat(catalog.find(FIRST.key())).contains(FIRST);
        assertThat(reads).hasValue(1);
    }

    @Test
    void answersConfiguredAndKnownKeysWithoutReadingTheRegistry() {
        shared.add(FIRST);
        catalog.reload();
        reads.set(0);

        assertThat(catalog.find(TokenKey.parse("wechat-access-token/wx0000000000000001")))
                .isPresent();
        assertThat(catalog.find(FIRST.key())).contains(FIRST);
        assertThat(reads).hasValue(0);
    }

    @Test
    void aRegisteredCredentialNeverReplacesOrRetiresAConfiguredOne() {
        shared.add(authorizer(CONFIGURED_AUTHORIZER.key().account()));
        catalog.reload();
        shared.clear();
        catalog.reload();

        assertThat(catalog.find(CONFIGURED_AUTHORIZER.key())).contains(CONFIGURED_AUTHORIZER);
        assertThat(accounts()).containsExactly("wx0000000000000001", "wxcomponent1.wxconfigured1");
        assertThat(heard).isEmpty();
    }

    @Test
    void keepsItsCredentialsWhenTheRegistryCannotBeRead() {
        shared.add(FIRST);
        catalog.reload();
        CredentialCatalog.Registry failing = () -> {
            throw new IllegalStateException("redis down (test)");
        };
        CredentialCatalog broken =
                ConfigurationCheck.catalog(TestProperties.of().bind(), List.of(), List.of(), failing);

        assertThatThrownBy(broken::reload).hasMessageContaining("redis down");
        assertThat(broken.all()).isEmpty();
        assertThat(catalog.find(FIRST.key())).contains(FIRST);
    }

    @Test
    void readersSeeWholeSnapshotsWhileReloadsReplaceThem() throws Exception {
        List<Thread> readers = new ArrayList<>();
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread reader = new Thread(() -> {
                for (int n = 0; n < 2_000; n++) {
                    sizes.add(catalog.all().size());
                }
            });
            readers.add(reader);
            reader.start();
        }
        for (int n = 0; n < 2_000; n++) {
            shared.clear();
            if (n % 2 == 0) {
                shared.addAll(List.of(FIRST, SECOND));
            }
            catalog.reload();
        }
        for (Thread reader : readers) {
            reader.join();
        }

        // Two configured credentials, plus none or both registered: never a half-replaced list.
        assertThat(sizes).isNotEmpty().allMatch(size -> size == 2 || size == 4);
    }
}
