package io.tokencast.refresher.service.fleet;

import io.tokencast.schema.ConsumerHeartbeat;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.EventDecodingException;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet as the consumers' heartbeats describe it (docs/design.md §5.2, topic {@code tokencast.consumers}): the last
 * heartbeat of every instance, bounded, and per token key who holds the newest version and who lags. Every
 * record is untrusted input, judged alone: a bad one is counted and skipped. Heartbeats are advisory; a bare
 * tombstone hides an instance only until its next heartbeat.
 */
public final class FleetView {

    private static final Logger log = LoggerFactory.getLogger(FleetView.class);

    /** Versions remembered per key, to say since when a laggard has been behind. */
    private static final int VERSIONS_PER_KEY = 16;

    private final Clock clock;
    private final FleetSettings settings;
    private final ConcurrentMap<String, FleetInstance> instances = new ConcurrentHashMap<>();
    private final ConcurrentMap<TokenKey, NavigableMap<Long, Instant>> issued = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, AtomicLong> rejected = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private volatile Instant lastPrune = Instant.EPOCH;

    public FleetView(Clock clock, FleetSettings settings) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Takes one record of the consumers topic: a heartbeat, or a tombstone. */
    public void apply(ConsumerRecord<String, byte[]> record) {
        String key = record.key();
        if (key == null || key.isEmpty() || key.length() > ConsumerHeartbeat.MAX_TEXT) {
            reject("BAD_KEY", record);
            return;
        }
        if (record.value() == null) {
            instances.remove(key);
            return;
        }
        ConsumerHeartbeat heartbeat;
        try {
            heartbeat = EventCodec.json().decode(record.value(), ConsumerHeartbeat.class);
        } catch (EventDecodingException e) {
            reject(e.problem().name(), record);
            return;
        }
        if (!heartbeat.instanceId().equals(key)) {
            reject("KEY_MISMATCH", record);
            return;
        }
        Instant now = clock.instant();
        Instant lastSeen = heartbeat.sentAt().isAfter(now) ? now : heartbeat.sentAt();
        put(key, new FleetInstance(heartbeat, lastSeen, true));
    }

    private synchronized void put(String instanceId, FleetInstance entry) {
        if (!instances.containsKey(instanceId) && instances.size() >= settings.maxInstances()) {
            prune(true);
            if (instances.size() >= settings.maxInstances() && !evictOlderThan(entry.lastSeen())) {
                dropped.incrementAndGet();
                return;
            }
        }
        instances.put(instanceId, entry);
        prune(false);
    }

    // The map holds at most maxInstances: the stalest entry makes room for a fresher one, never the reverse.
    private boolean evictOlderThan(Instant lastSeen) {
        return instances.entrySet().stream()
                .min(Map.Entry.comparingByValue(Comparator.comparing(FleetInstance::lastSeen)))
                .filter(oldest -> oldest.getValue().lastSeen().isBefore(lastSeen))
                .map(oldest -> instances.remove(oldest.getKey()) != null)
                .orElse(false);
    }

    private void prune(boolean now) {
        Instant at = clock.instant();
        if (!now && Duration.between(lastPrune, at).compareTo(Duration.ofSeconds(1)) < 0) {
            return;
        }
        lastPrune = at;
        Instant cutoff = at.minus(settings.forgetAfter());
        instances.values().removeIf(instance -> instance.lastSeen().isBefore(cutoff));
    }

    private void reject(String reason, ConsumerRecord<String, byte[]> record) {
        rejected.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
        log.debug(
                "heartbeat rejected reason={} topic={} partition={} offset={}",
                reason,
                record.topic(),
                record.partition(),
                record.offset());
    }

    /** Remembers when a version was issued, so laggards can be told since when they are behind. */
    public void observe(TokenRefreshed current) {
        NavigableMap<Long, Instant> versions = issued.get(current.tokenKey());
        if (versions == null) {
            if (issued.size() >= settings.maxKeys()) {
                return;
            }
            versions = issued.computeIfAbsent(current.tokenKey(), k -> new TreeMap<>());
        }
        synchronized (versions) {
            versions.put(current.version(), current.issuedAt());
            while (versions.size() > VERSIONS_PER_KEY) {
                versions.pollFirstEntry();
            }
        }
    }

    /** Who holds {@code key} among the live instances, against the refresher's newest version. */
    public KeyFleet forKey(TokenKey key, long newestVersion) {
        Instant now = clock.instant();
        int current = 0;
        List<KeyFleet.Laggard> behind = new ArrayList<>();
        for (FleetInstance instance : instances()) {
            if (!instance.live()) {
                continue;
            }
            for (ConsumerHeartbeat.HeldVersion held : instance.heartbeat().held()) {
                if (!held.tokenKey().equals(key)) {
                    continue;
                }
                if (held.version() >= newestVersion) {
                    current++;
                } else {
                    Instant since = behindSince(key, held.version());
                    ConsumerHeartbeat heartbeat = instance.heartbeat();
                    behind.add(new KeyFleet.Laggard(
                            heartbeat.instanceId(),
                            heartbeat.service(),
                            heartbeat.host(),
                            held.version(),
                            held.fingerprint(),
                            since,
                            since == null || since.isAfter(now) ? Duration.ZERO : Duration.between(since, now)));
                }
            }
        }
        behind.sort(Comparator.comparing(KeyFleet.Laggard::behindFor).reversed());
        return new KeyFleet(key, newestVersion, current, behind);
    }

    private Instant behindSince(TokenKey key, long heldVersion) {
        NavigableMap<Long, Instant> versions = issued.get(key);
        if (versions == null) {
            return null;
        }
        synchronized (versions) {
            Map.Entry<Long, Instant> next = versions.higherEntry(heldVersion);
            return next == null ? null : next.getValue();
        }
    }

    /** Every instance known, live or silent, with liveness judged now. */
    public List<FleetInstance> instances() {
        Instant liveSince = clock.instant().minus(settings.liveWithin());
        return instances.values().stream()
                .map(i -> new FleetInstance(
                        i.heartbeat(), i.lastSeen(), !i.lastSeen().isBefore(liveSince)))
                .sorted(Comparator.comparing(i -> i.heartbeat().instanceId()))
                .toList();
    }

    /** Records refused, by reason (a decoding problem, {@code KEY_MISMATCH}, {@code BAD_KEY}). */
    public Map<String, Long> rejected() {
        Map<String, Long> counts = new TreeMap<>();
        rejected.forEach((reason, count) -> counts.put(reason, count.get()));
        return counts;
    }

    /** Heartbeats of new instances refused because the view was full of fresher ones. */
    public long dropped() {
        return dropped.get();
    }

    /** How many instances the view holds now. */
    public int size() {
        return instances.size();
    }
}
