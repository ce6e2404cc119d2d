package io.tokencast.refresher.service.signing;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokencast.refresher.service.config.InvalidConfigurationException;
import io.tokencast.refresher.signing.RecordSigning;
import io.tokencast.trust.signing.KeySetRole;
import io.tokencast.trust.signing.RecordVerifier;
import io.tokencast.trust.signing.SigningKey;
import io.tokencast.trust.signing.VerificationKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Loads the refresher's signing key and the key set its own readers trust, or, with
 * {@code tokencast.signing.enabled=false}, says loudly that nothing is signed. A missing or unreadable key is a
 * start-up error naming the property and how to make a key.
 */
@Configuration(proxyBeanMethods = false)
public class SigningConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SigningConfiguration.class);

    static final Duration MAX_UPGRADE_WINDOW = Duration.ofDays(30);

    static final String HOW_TO_MAKE_ONE = "make one with `tokencast keys generate --refresher` (docs/security.md §4),"
            + " or set tokencast.signing.enabled=false for development";

    @Bean
    RecordSigning recordSigning(
            SigningProperties properties, ObjectProvider<MeterRegistry> meters, ObjectProvider<Clock> clocks) {
        MeterRegistry registry = meters.getIfAvailable(SimpleMeterRegistry::new);
        if (!properties.enabled()) {
            log.warn("\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
                    + "!!! SIGNING IS OFF (tokencast.signing.enabled=false): records go to Kafka and Redis  !!!\n"
                    + "!!! UNSIGNED and nothing read back is verified. Anyone who can write a topic or     !!!\n"
                    + "!!! Redis can hand the fleet a token. For development only (docs/security.md §4).   !!!\n"
                    + "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
            return RecordSigning.off(registry);
        }
        SigningKey key = signingKey(properties.keyFile());
        VerificationKeys trusted = trusted(properties.verificationKeysFile(), key);
        log.info(
                "signing on kid={} alg={} trustedKids={} provider=\"{}\"",
                key.kid(),
                key.algorithm(),
                trusted.kids(),
                RecordVerifier.provider());
        Clock clock = clocks.getIfAvailable(Clock::systemUTC);
        Instant until = properties.acceptUnsignedUntil();
        if (until != null) {
            if (until.isAfter(clock.instant().plus(MAX_UPGRADE_WINDOW))) {
                throw new InvalidConfigurationException(List.of("tokencast.signing.accept-unsigned-until: " + until
                        + " is more than " + MAX_UPGRADE_WINDOW.toDays() + " days ahead; it is an upgrade window,"
                        + " not a setting (docs/operations.md §6)"));
            }
            log.warn(
                    "signing upgrade window: records without any signature are still taken until={}; unset"
                            + " tokencast.signing.accept-unsigned-until once every key and credential is signed",
                    until);
        }
        return RecordSigning.on(key, trusted, registry, clock, until);
    }

    /** The {@code signing} health component (the bean name minus {@code HealthIndicator}). */
    @Bean
    org.springframework.boot.health.contributor.HealthIndicator signingHealthIndicator(RecordSigning recordSigning) {
        return new SigningHealthIndicator(recordSigning);
    }

    static SigningKey signingKey(Path file) {
        String property = "tokencast.signing.key-file";
        if (file == null) {
            throw new InvalidConfigurationException(
                    List.of(property + ": missing; signing is on (tokencast.signing.enabled) and needs the refresher's"
                            + " private key; " + HOW_TO_MAKE_ONE));
        }
        if (!Files.isReadable(file)) {
            throw new InvalidConfigurationException(
                    List.of(property + ": cannot read " + file + "; " + HOW_TO_MAKE_ONE));
        }
        checkMode(property, file);
        try {
            return SigningKey.load(file, KeySetRole.REFRESHER, null);
        } catch (RuntimeException e) {
            // The trust module's messages name the key and the rule, never key material.
            throw new InvalidConfigurationException(List.of(property + ": " + file + ": " + e.getMessage()));
        }
    }

    private static void checkMode(String property, Path file) {
        Optional<SigningKeyFiles.Exposure> exposure;
        try {
            exposure = SigningKeyFiles.exposure(file);
        } catch (IOException e) {
            throw new InvalidConfigurationException(List.of(property + ": cannot read the mode of " + file + " ("
                    + e.getClass().getSimpleName() + ")"));
        }
        if (exposure.isEmpty()) {
            return;
        }
        if (exposure.get().refused()) {
            throw new InvalidConfigurationException(List.of(property + ": " + file + " is readable by every user (mode "
                    + exposure.get().mode() + "); it holds the private signing key: chmod 600 it (in Kubernetes,"
                    + " mount the secret with defaultMode 0400)"));
        }
        log.warn(
                "signing key file readable by its group file={} mode={} advice=\"chmod 600 unless the group is the"
                        + " refresher's own\"",
                file,
                exposure.get().mode());
    }

    static VerificationKeys trusted(Path file, SigningKey key) {
        if (file == null) {
            return VerificationKeys.of(KeySetRole.REFRESHER, List.of(key));
        }
        String property = "tokencast.signing.verification-keys-file";
        VerificationKeys keys;
        try {
            keys = VerificationKeys.load(file, KeySetRole.REFRESHER);
        } catch (RuntimeException e) {
            throw new InvalidConfigurationException(List.of(property + ": " + file + ": " + e.getMessage()));
        }
        if (!keys.kids().contains(key.kid())) {
            // Everything this refresher writes would be rejected by its own readers on the way back.
            throw new InvalidConfigurationException(List.of(property + ": " + file + " lacks the signing key's kid '"
                    + key.kid() + "'; add its public half (a rotation keeps old and new keys in this set)"));
        }
        return keys;
    }
}
