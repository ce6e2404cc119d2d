package io.tokencast.refresher.service.signing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.refresher.service.config.InvalidConfigurationException;
import io.tokencast.refresher.signing.RecordSigning;
import io.tokencast.trust.signing.KeySetRole;
import io.tokencast.trust.signing.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** What the signing properties make of the refresher at start: a key to sign with, or a clear refusal. */
@ExtendWith(OutputCaptureExtension.class)
class SigningConfigurationTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(SigningProperties.class)
    @Import(SigningConfiguration.class)
    static class SigningOnly {}

    private final ApplicationContextRunner runner =
            new ApplicationContextRunner().withUserConfiguration(SigningOnly.class);

    @TempDir
    Path directory;

    @Test
    void signsWithTheKeyFileAndTrustsItsPublicHalfByDefault() {
        SigningKeyFiles.Generated files = SigningKeyFiles.generate(directory, "refresher-2026-12");

        runner.withPropertyValues("tokencast.signing.key-file=" + files.privateFile())
                .run(context -> {
                    RecordSigning signing = context.getBean(RecordSigning.class);
                    assertThat(signing.enabled()).isTrue();
                    assertThat(signing.kid()).contains("refresher-2026-12");
                    assertThat(signing.algorithm()).contains("EdDSA");
                    assertThat(signing.trustedKids()).containsExactly("refresher-2026-12");
                });
    }

    @Test
    void theGeneratedPrivateFileIsReadableByItsOwnerOnly() throws Exception {
        SigningKeyFiles.Generated files = SigningKeyFiles.generate(directory, "k1");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.privateFile())))
                .isEqualTo("rw-------");
        assertThat(Files.readString(files.publicFile())).doesNotContain("\"d\"");
    }

    @Test
    void withoutAKeyFileTheRefresherDoesNotStartAndSaysHowToMakeOne() {
        runner.run(context -> assertThat(context)
                .hasFailed()
                .getFailure()
                .rootCause()
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("tokencast.signing.key-file: missing")
                .hasMessageContaining("tokencast keys generate")
                .hasMessageContaining("tokencast.signing.enabled=false"));
    }

    @Test
    void aKeyFileEveryUserMayReadIsRefused() throws Exception {
        SigningKeyFiles.Generated files = SigningKeyFiles.generate(directory, "k1");
        Files.setPosixFilePermissions(files.privateFile(), PosixFilePermissions.fromString("rw-r--r--"));

        runner.withPropertyValues("tokencast.signing.key-file=" + files.privateFile())
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("is readable by every user (mode rw-r--r--)")
                        .hasMessageContaining("chmod 600"));
    }

    @Test
    void aKeyFileItsGroupMayReadIsTakenWithAWarning(CapturedOutput output) throws Exception {
        SigningKeyFiles.Generated files = SigningKeyFiles.generate(directory, "k1");
        Files.setPosixFilePermissions(files.privateFile(), PosixFilePermissions.fromString("rw-r-----"));

        runner.withPropertyValues("tokencast.signing.key-file=" + files.privateFile())
                .run(context -> assertThat(context).hasNotFailed());
        assertThat(output.getAll()).contains("signing key file readable by its group");
    }

    @Test
    void aPublicFileWhereThePrivateOneBelongsIsRefusedWithoutQuotingIt() {
        SigningKeyFiles.Generated files = SigningKeyFiles.generate(directory, "k1");

        runner.withPropertyValues("tokencast.signing.key-file=" + files.publicFile())
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .isInstanceOf(InvalidConfigurationException.class)
                        .hasMessageContaining("tokencast.signing.key-file"));
    }

    @Test
    void aVerificationSetWithoutTheSigningKeyIsRefused() throws Exception {
        SigningKeyFiles.Generated files = SigningKeyFiles.generate(directory, "k1");
        Path others = directory.resolve("others.jwks.json");
        Files.writeString(
                others,
                SigningKey.generateEd25519("k0", null, KeySetRole.REFRESHER).publicJwkSetJson());

        runner.withPropertyValues(
                        "tokencast.signing.key-file=" + files.privateFile(),
                        "tokencast.signing.verification-keys-file=" + others)
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("tokencast.signing.verification-keys-file")
                        .hasMessageContaining("lacks the signing key's kid 'k1'"));
    }

    @Test
    void duringARotationTheReadersTrustOldAndNewKeys() throws Exception {
        SigningKeyFiles.Generated files = SigningKeyFiles.generate(directory.resolve("new"), "k2");
        SigningKey old = SigningKey.generateEd25519("k1", null, KeySetRole.REFRESHER);
        String both = "{\"keys\":[" + strip(old.publicJwkSetJson()) + "," + strip(Files.readString(files.publicFile()))
                + "]}";
        Path trusted = directory.resolve("trusted.jwks.json");
        Files.writeString(trusted, both);

        runner.withPropertyValues(
                        "tokencast.signing.key-file=" + files.privateFile(),
                        "tokencast.signing.verification-keys-file=" + trusted)
                .run(context -> assertThat(context.getBean(RecordSigning.class).trustedKids())
                        .containsExactlyInAnyOrder("k1", "k2"));
    }

    @Test
    void turningSigningOffIsExplicitAndLoggedAsAWarning(CapturedOutput output) {
        runner.withPropertyValues("tokencast.signing.enabled=false").run(context -> {
            assertThat(context.getBean(RecordSigning.class).enabled()).isFalse();
        });
        assertThat(output.getAll()).contains("WARN").contains("SIGNING IS OFF");
    }

    /** The one key object of a one-key JWK set's JSON. */
    private static String strip(String jwkSet) {
        return jwkSet.substring(jwkSet.indexOf('[') + 1, jwkSet.lastIndexOf(']'));
    }
}
