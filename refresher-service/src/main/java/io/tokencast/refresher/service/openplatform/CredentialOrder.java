package io.tokencast.refresher.service.openplatform;

import io.tokencast.schema.CredentialStored;

/** Which of two copies of a credential wins: the newer {@code receivedAt}; on a tie, the later one seen. */
final class CredentialOrder {

    private CredentialOrder() {}

    static CredentialStored newer(CredentialStored earlier, CredentialStored later) {
        return earlier.receivedAt().isAfter(later.receivedAt()) ? earlier : later;
    }
}
