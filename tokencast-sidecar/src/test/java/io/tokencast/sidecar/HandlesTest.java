package io.tokencast.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.schema.TokenKey;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HandlesTest {

    static final TokenKey KEY = TokenKey.parse("wechat-access-token/wx0123456789abcdef");
    static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    @TempDir
    Path dir;

    Handles handles(Path file) {
        return Handles.load(GatewayConfig.towards(URI.create("http://127.0.0.1:1"), file));
    }

    @Test
    void aHandleNamesItsKeyAndClientUntilItsExpiry() {
        Handles handles = handles(dir.resolve("k"));
        String handle = handles.mint(KEY, "shop", NOW.plusSeconds(600));

        assertThat(handle).startsWith("tch1.").doesNotContain("=");
        assertThat(handles.verify(handle, NOW.plusSeconds(599)))
                .isEqualTo(new Handles.Verdict.Valid(KEY, "shop", NOW.plusSeconds(600)));
        assertThat(handles.verify(handle, NOW.plusSeconds(600))).isEqualTo(new Handles.Verdict.Expired(KEY));
    }

    @Test
    void aChangedPayloadOrAnotherKeysHandleIsForged() {
        Handles handles = handles(dir.resolve("k"));
        String handle = handles.mint(KEY, "", NOW.plusSeconds(600));
        String payload = handle.substring(5, handle.indexOf('.', 5));
        String other = new String(Base64.getUrlDecoder().decode(payload)).replace("wx0123", "wx9999");
        String tampered = "tch1." + Base64.getUrlEncoder().withoutPadding().encodeToString(other.getBytes())
                + handle.substring(handle.indexOf('.', 5));

        assertThat(handles.verify(tampered, NOW)).isInstanceOf(Handles.Verdict.Forged.class);
        assertThat(handles(dir.resolve("other")).verify(handle, NOW)).isInstanceOf(Handles.Verdict.Forged.class);
        assertThat(handles.verify("tch1.garbage", NOW)).isInstanceOf(Handles.Verdict.Forged.class);
        assertThat(handles.verify("84_realtoken", NOW)).isInstanceOf(Handles.Verdict.Forged.class);
    }

    @Test
    void theKeyFileIsGeneratedOwnerOnlyAndReusedAfterARestart() throws Exception {
        Path file = dir.resolve("sub/handle.key");
        String handle = handles(file).mint(KEY, "", NOW.plusSeconds(60));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(Base64.getDecoder().decode(Files.readString(file).strip())).hasSize(32);
        assertThat(handles(file).verify(handle, NOW)).isInstanceOf(Handles.Verdict.Valid.class);
    }
}
