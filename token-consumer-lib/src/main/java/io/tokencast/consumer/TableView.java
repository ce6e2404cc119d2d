package io.tokencast.consumer;

import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * What every {@link TokenView} does the same way, whatever feeds it: reads served from its
 * {@link TokenTable}, and {@code withToken}'s report-and-retry-once.
 */
abstract class TableView implements TokenView {

    final TokenTable table;

    TableView(TokenTable table) {
        this.table = table;
    }

    /** How long {@code withToken} waits for the next version after a report. */
    abstract Duration refreshTimeout();

    @Override
    public boolean isReady() {
        return table.isReady();
    }

    @Override
    public Token token(TokenKey key) {
        return table.token(key);
    }

    @Override
    public Optional<Token> find(TokenKey key) {
        return table.find(key);
    }

    @Override
    public TokenState state(TokenKey key) {
        return table.state(key);
    }

    @Override
    public Set<TokenKey> keys() {
        return table.keys();
    }

    @Override
    public Map<TokenKey, TokenRefreshed> snapshot() {
        return table.snapshot();
    }

    @Override
    public ConsumerStats stats() {
        return table.stats();
    }

    @Override
    public SignatureVerification signatureVerification() {
        return table.signatureVerification();
    }

    @Override
    public void addListener(TokenChangeListener listener) {
        table.addListener(listener);
    }

    @Override
    public void removeListener(TokenChangeListener listener) {
        table.removeListener(listener);
    }

    @Override
    public <T, E extends Exception> T withToken(TokenKey key, TokenCall<T, E> call) throws E {
        return TokenCalls.withToken(this, refreshTimeout(), key, call);
    }

    @Override
    public <T, E extends Exception> T withToken(TokenKey key, TokenCall<T, E> call, ToIntFunction<? super T> errcode)
            throws E {
        return TokenCalls.withToken(this, refreshTimeout(), key, call, errcode);
    }
}
