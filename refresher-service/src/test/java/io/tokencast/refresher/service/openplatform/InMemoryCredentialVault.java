package io.tokencast.refresher.service.openplatform;

import io.tokencast.refresher.signing.SignedEvent;
import io.tokencast.schema.CredentialKind;
import io.tokencast.schema.CredentialStored;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link CredentialVault} in memory, recording every store; can be told to fail. */
final class InMemoryCredentialVault implements CredentialVault {

    private final Map<String, CredentialStored> current = new ConcurrentHashMap<>();
    private final List<CredentialStored> stored = new CopyOnWriteArrayList<>();
    private volatile boolean failing;

    void failStores(boolean fail) {
        failing = fail;
    }

    List<CredentialStored> stored() {
        return new ArrayList<>(stored);
    }

    @Override
    public void store(CredentialStored credential) {
        if (failing) {
            throw new CredentialVaultException("broker refused " + credential.credentialKey() + " (test)", null);
        }
        stored.add(credential);
        current.merge(credential.credentialKey(), credential, CredentialOrder::newer);
    }

    @Override
    public boolean storeIfAbsent(CredentialStored credential) {
        if (current.containsKey(credential.credentialKey())) {
            return false;
        }
        store(credential);
        return true;
    }

    @Override
    public Optional<CredentialStored> find(String credentialKey) {
        return Optional.ofNullable(current.get(credentialKey));
    }

    @Override
    public List<String> keys(CredentialKind kind) {
        return current.keySet().stream()
                .filter(k -> k.startsWith(kind.keyFor("")))
                .sorted()
                .toList();
    }

    @Override
    public boolean remove(String credentialKey) {
        if (failing) {
            throw new CredentialVaultException("broker refused the tombstone of " + credentialKey + " (test)", null);
        }
        return current.remove(credentialKey) != null;
    }

    @Override
    public boolean rekey(String credentialKey) {
        return false; // nothing is encrypted in memory
    }

    @Override
    public int restoreFromTopic() {
        return 0;
    }

    @Override
    public Optional<SignedEvent<CredentialStored>> held(String credentialKey) {
        return Optional.empty(); // holds no bytes: nothing to publish again
    }
}
