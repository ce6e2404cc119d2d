package io.tokencast.refresher.service.console;

import io.tokencast.refresher.config.CredentialCatalog;
import io.tokencast.refresher.quota.QuotaGuard;
import io.tokencast.refresher.wechat.FetchMode;
import io.tokencast.refresher.wechat.ManagedCredential;
import io.tokencast.refresher.wechat.WeChatApi;
import io.tokencast.schema.InvalidEventException;
import io.tokencast.schema.LogText;
import io.tokencast.schema.RefreshRequested;
import io.tokencast.schema.TokenKey;
import io.tokencast.topics.CommandPublisher;
import io.tokencast.trust.signing.CommandSigner;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the console's refresh commands: a {@link RefreshRequested} on the admin topic through the {@link
 * CommandPublisher} the CLI uses too, signed with the console's
 * own operator key ({@code tokencast.console.operator-key-file}) and naming the logged-in user in a signed {@code
 * onBehalfOf}, served by whichever replica takes it, like the CLI's (docs/security.md §6). The audit credits the
 * console's key and shows the user; the console never holds another operator's key. Without a key it sends nothing
 * and says why.
 */
final class OperatorCommands implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OperatorCommands.class);

    private final CommandSigner signer;
    // Its producer is made at the first command: most replicas never send one, and start-up stays fast.
    private final CommandPublisher admin;
    private final CredentialCatalog catalog;
    private final QuotaGuard quota;
    private final Clock clock;
    private final Duration timeout;

    OperatorCommands(
            Supplier<Producer<String, byte[]>> producers,
            CommandSigner signer,
            String adminTopic,
            CredentialCatalog catalog,
            QuotaGuard quota,
            Clock clock,
            Duration timeout) {
        this.signer = signer;
        this.admin = CommandPublisher.on(producers, adminTopic, timeout);
        this.catalog = catalog;
        this.quota = quota;
        this.clock = clock;
        this.timeout = timeout;
    }

    /** Why a command was not sent; the message is shown to the operator. */
    static final class Refused extends RuntimeException {
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /**
     * Publishes a manual refresh of {@code key} and returns its command id once the broker has it.
     *
     * @throws Refused when the console has no operator key, the key is not managed here, force is asked of a
     *     non-stable token, the force budget is spent, or the broker did not take the command
     */
    UUID refresh(TokenKey key, boolean force, String operator) {
        if (signer == null) {
            throw new Refused(
                    503,
                    "this console has no operator key, and the refresher serves signed commands only: configure"
                            + " tokencast.console.operator-key-file (docs/security.md)");
        }
        ManagedCredential credential = catalog.find(key)
                .orElseThrow(() -> new Refused(404, key + " is not a credential this refresher manages"));
        if (force && credential.api() != WeChatApi.STABLE) {
            throw new Refused(400, "force applies to stable tokens only; " + key + " is " + credential.api());
        }
        if (force && forceLeft(credential) <= 0) {
            throw new Refused(409, "today's force budget of " + key + " is spent");
        }
        RefreshRequested command;
        try {
            command = RefreshRequested.manual(key, force, signer.operatorName(), clock.instant())
                    .onBehalfOf(operator);
        } catch (InvalidEventException e) {
            throw new Refused(400, "the user name cannot go into a command: " + e.getMessage());
        }
        try {
            admin.publishAndWait(command, signer.sign(command), timeout);
        } catch (ExecutionException | TimeoutException e) {
            throw new Refused(503, "the admin topic did not take the command: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused(503, "interrupted while sending the command");
        }
        log.info(
                "console command sent key={} force={} signedAs={} onBehalfOf={} commandId={}",
                key,
                force,
                signer.operatorName(),
                LogText.of(operator),
                command.commandId());
        return command.commandId();
    }

    @Override
    public void close() {
        admin.close();
    }

    long forceLeft(ManagedCredential credential) {
        return Math.max(
                0, quota.dailyLimit(credential, FetchMode.FORCE) - quota.usedToday(credential, FetchMode.FORCE));
    }
}
