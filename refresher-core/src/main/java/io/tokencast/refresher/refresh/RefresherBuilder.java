package io.tokencast.refresher.refresh;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokencast.refresher.config.CredentialCatalog;
import io.tokencast.refresher.encryption.KeyGate;
import io.tokencast.refresher.leader.KeyLocks;
import io.tokencast.refresher.metrics.RefreshMetrics;
import io.tokencast.refresher.policy.RefreshPolicy;
import io.tokencast.refresher.publish.EventPublisher;
import io.tokencast.refresher.quota.QuotaGuard;
import io.tokencast.refresher.signing.RecordSigning;
import io.tokencast.refresher.store.TokenStore;
import io.tokencast.refresher.wechat.CredentialSource;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.trust.encryption.RecordEncryption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Builds a {@link Refresher} from its ports, without Spring: {@code Refresher.builder().credentials(...)
 * .store(...).locks(...).source(...).quota(...).policy(...).publisher(...).signing(...).build()}. The ports are
 * required; the clock (system UTC), meters (a private registry), instance id ({@code refresher}), first retry
 * backoff (2 s), encryption (off), key gate (open) and rekeying companions (none) have defaults.
 */
public final class RefresherBuilder {

    private CredentialCatalog catalog;
    private TokenStore store;
    private KeyLocks locks;
    private CredentialSource source;
    private QuotaGuard quota;
    private RefreshPolicy policy;
    private EventPublisher publisher;
    private RecordSigning signing;
    private Clock clock = Clock.systemUTC();
    private MeterRegistry meterRegistry;
    private RefreshMetrics metrics;
    private String instanceId = "refresher";
    private Duration retryInitial = Duration.ofSeconds(2);
    private RecordEncryption encryption = RecordEncryption.off();
    private KeyGate keyGate = KeyGate.open();
    private Rekeying.Companions companions = Rekeying.Companions.NONE;
    private Publication publication;

    RefresherBuilder() {}

    /** The credentials to refresh, fixed for the refresher's life. */
    public RefresherBuilder credentials(List<ManagedCredential> credentials) {
        return catalog(new CredentialCatalog(credentials));
    }

    /** The credentials to refresh, among them those registered while the refresher runs. */
    public RefresherBuilder catalog(CredentialCatalog catalog) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        return this;
    }

    /** Where the current version of each key lives (Redis compare-and-set). */
    public RefresherBuilder store(TokenStore store) {
        this.store = Objects.requireNonNull(store, "store");
        return this;
    }

    /** The per-key lock shared by the replicas. */
    public RefresherBuilder locks(KeyLocks locks) {
        this.locks = Objects.requireNonNull(locks, "locks");
        return this;
    }

    /** Fetches from WeChat. */
    public RefresherBuilder source(CredentialSource source) {
        this.source = Objects.requireNonNull(source, "source");
        return this;
    }

    /** The daily WeChat budgets, asked before every fetch. */
    public RefresherBuilder quota(QuotaGuard quota) {
        this.quota = Objects.requireNonNull(quota, "quota");
        return this;
    }

    /** When the next refresh is due and how long to wait after a failure. */
    public RefresherBuilder policy(RefreshPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /** Where new versions and audit records go (Kafka). */
    public RefresherBuilder publisher(EventPublisher publisher) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        return this;
    }

    /** Signs every version before it goes to Redis and the topic. */
    public RefresherBuilder signing(RecordSigning signing) {
        this.signing = Objects.requireNonNull(signing, "signing");
        return this;
    }

    /** The clock of refresh times and audit records; latencies are measured on the monotonic clock. */
    public RefresherBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** Where the refresher's meters are registered, through a {@link RefreshMetrics} of its own. */
    public RefresherBuilder meterRegistry(MeterRegistry meterRegistry) {
        this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
        return this;
    }

    /** The meters to update, when they are shared with the scheduler and the rest of the service. */
    public RefresherBuilder metrics(RefreshMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        return this;
    }

    /** This replica's name in events, audit records and logs. */
    public RefresherBuilder instanceId(String instanceId) {
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        return this;
    }

    /** The first backoff after a retryable failure. */
    public RefresherBuilder retryInitial(Duration retryInitial) {
        this.retryInitial = Objects.requireNonNull(retryInitial, "retryInitial");
        return this;
    }

    /** Seals tokens for the fleet before they are stored and published. */
    public RefresherBuilder encryption(RecordEncryption encryption) {
        this.encryption = Objects.requireNonNull(encryption, "encryption");
        return this;
    }

    /** Whether the fleet can read a kid yet, asked before a key is promoted. */
    public RefresherBuilder keyGate(KeyGate keyGate) {
        this.keyGate = Objects.requireNonNull(keyGate, "keyGate");
        return this;
    }

    /** Re-publishes a key's companion credentials when it is rekeyed. */
    public RefresherBuilder companions(Rekeying.Companions companions) {
        this.companions = Objects.requireNonNull(companions, "companions");
        return this;
    }

    /** The publication the scheduler retries from; by default the refresher gets one of its own. */
    public RefresherBuilder publication(Publication publication) {
        this.publication = Objects.requireNonNull(publication, "publication");
        return this;
    }

    /**
     * @throws IllegalStateException naming the first port that was not given
     */
    public Refresher build() {
        required(catalog, "catalog (or credentials)");
        required(store, "store");
        required(locks, "locks");
        required(source, "source");
        required(quota, "quota");
        required(policy, "policy");
        required(publisher, "publisher");
        RefreshMetrics meters = metrics != null
                ? metrics
                : new RefreshMetrics(meterRegistry != null ? meterRegistry : new SimpleMeterRegistry(), clock);
        Publication published = publication;
        if (published == null) {
            required(signing, "signing");
            published = new Publication(publisher, store, locks, signing);
        }
        AuditTrail audit = new AuditTrail(publisher, clock, instanceId);
        return new Refresher(
                catalog,
                store,
                locks,
                source,
                quota,
                policy,
                published,
                audit,
                meters,
                clock,
                instanceId,
                new Retries(store, policy, audit, meters, clock, retryInitial),
                encryption,
                keyGate,
                companions);
    }

    private static void required(Object port, String name) {
        if (port == null) {
            throw new IllegalStateException("Refresher.builder() needs " + name + "; set it before build()");
        }
    }
}
