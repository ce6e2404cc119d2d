package io.tokencast.refresher.service.openplatform;

import io.tokencast.schema.CredentialKind;
import io.tokencast.schema.CredentialSource;
import io.tokencast.schema.CredentialStored;
import io.tokencast.schema.InvalidTokenKeyException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The admin path for authorizers (platforms migrating in with refresh tokens they already hold): the Actuator
 * endpoint {@code authorizers}. {@code GET} lists the registered authorizers, {@code POST} with
 * {@code componentAppid}, {@code authorizerAppid} and {@code refreshToken} registers one, {@code DELETE
 * /{componentAppid}/{authorizerAppid}} retires one. Whoever can call it can make the refresher fetch tokens, so
 * it is not exposed over HTTP unless listed in {@code management.endpoints.web.exposure.include}, and then
 * belongs behind the management port's authentication. Never shows a refresh token, only its fingerprint.
 */
@Endpoint(id = "authorizers")
final class AuthorizersEndpoint {

    /**
     * One authorizer as the vault knows it.
     *
     * @param authorizer {@code componentAppid.authorizerAppid}
     * @param revoked the errcode (or {@code unauthorized}) that revoked it, null while it is not revoked
     * @param configured whether {@code tokencast.open-platform.authorizers} lists it
     */
    record Authorizer(
            String authorizer,
            String refreshTokenFingerprint,
            CredentialSource source,
            Instant receivedAt,
            String revoked,
            boolean configured) {}

    /** What a retirement did; {@code held} is false when the vault had no refresh token for it. */
    record Retired(String authorizer, boolean held) {}

    private static final String PREFIX = CredentialKind.AUTHORIZER_REFRESH_TOKEN.keyFor("");

    private final Authorizers authorizers;
    private final Components components;
    private final CredentialVault vault;
    private final Revocations revocations;
    private final Set<String> configured;

    AuthorizersEndpoint(
            Authorizers authorizers,
            Components components,
            CredentialVault vault,
            Revocations revocations,
            OpenPlatformProperties properties) {
        this.authorizers = authorizers;
        this.components = components;
        this.vault = vault;
        this.revocations = revocations;
        this.configured = properties.authorizers().stream()
                .map(a -> Authorizers.account(a.componentAppid(), a.authorizerAppid()))
                .collect(Collectors.toUnmodifiableSet());
    }

    @ReadOperation
    List<Authorizer> list() {
        return vault.keys(CredentialKind.AUTHORIZER_REFRESH_TOKEN).stream()
                .map(k -> describe(k.substring(PREFIX.length())))
                .flatMap(Optional::stream)
                .toList();
    }

    /** Registers the authorizer with the refresh token the platform holds; its token is fetched at once. */
    @WriteOperation
    Authorizer register(String componentAppid, String authorizerAppid, String refreshToken) {
        component(componentAppid);
        if (refreshToken.isBlank() || !refreshToken.equals(refreshToken.strip())) {
            throw new InvalidEndpointRequestException(
                    "refreshToken is blank or has leading or trailing whitespace", "bad refreshToken");
        }
        try {
            authorizers.register(componentAppid, authorizerAppid, refreshToken, CredentialSource.ADMIN);
        } catch (InvalidTokenKeyException e) {
            throw new InvalidEndpointRequestException(e.getMessage(), "bad authorizerAppid");
        }
        return describe(Authorizers.account(componentAppid, authorizerAppid)).orElseThrow();
    }

    /**
     * Retires the authorizer: no replica refreshes it any more and its token is removed from the tokens topic.
     * Refuses a configured authorizer: the configuration would keep it in every replica's catalog.
     */
    @DeleteOperation
    Retired retire(@Selector String componentAppid, @Selector String authorizerAppid, SecurityContext security) {
        component(componentAppid);
        String account = Authorizers.account(componentAppid, authorizerAppid);
        if (configured.contains(account)) {
            throw new InvalidEndpointRequestException(
                    "authorizer " + account + " is configured in tokencast.open-platform.authorizers; remove it"
                            + " there and restart the replicas",
                    "configured authorizer");
        }
        try {
            boolean held = authorizers.retire(componentAppid, authorizerAppid, requestedBy(security));
            return new Retired(account, held);
        } catch (InvalidTokenKeyException e) {
            throw new InvalidEndpointRequestException(e.getMessage(), "bad authorizerAppid");
        }
    }

    private void component(String componentAppid) {
        if (components.find(componentAppid).isEmpty()) {
            throw new InvalidEndpointRequestException(
                    "component " + componentAppid + " is not in tokencast.open-platform.components",
                    "unknown component");
        }
    }

    private Optional<Authorizer> describe(String account) {
        return vault.find(CredentialKind.AUTHORIZER_REFRESH_TOKEN.keyFor(account))
                .map(stored -> view(account, stored));
    }

    private Authorizer view(String account, CredentialStored stored) {
        return new Authorizer(
                account,
                stored.fingerprint(),
                stored.source(),
                stored.receivedAt(),
                revocations.revoked(account).orElse(null),
                configured.contains(account));
    }

    private static String requestedBy(SecurityContext security) {
        return security.getPrincipal() == null
                ? "admin"
                : "admin:" + security.getPrincipal().getName();
    }
}
