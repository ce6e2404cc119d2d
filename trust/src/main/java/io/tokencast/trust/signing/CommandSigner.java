package io.tokencast.trust.signing;

import io.tokencast.schema.EventCodec;
import io.tokencast.schema.RefreshRequested;
import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * Signs operator commands for the admin topic with one operator key (docs/security.md, "Reports, commands and
 * principals"). The refresher credits a command to the verified key's {@code name}, so {@code requestedBy}
 * must be that name; a console that acts for its logged-in users signs with its own key and names the user in
 * {@code onBehalfOf}, which the signature covers. Thread-safe.
 */
public final class CommandSigner {

    /** Longest {@code onBehalfOf} accepted, as for {@code requestedBy}. */
    public static final int MAX_ON_BEHALF_OF = 200;

    private final RecordSigner signer;

    public CommandSigner(SigningKey operatorKey) {
        Objects.requireNonNull(operatorKey, "operatorKey");
        if (operatorKey.role() != KeySetRole.OPERATORS) {
            throw new IllegalArgumentException(
                    "commands are signed with an operator key, not with " + operatorKey + ": the sets are never mixed");
        }
        this.signer = new RecordSigner(operatorKey);
    }

    /** The name commands signed here are credited to; their {@code requestedBy} must be this. */
    public String operatorName() {
        return signer.key().name();
    }

    /** The command's record for the admin topic, signed. */
    public byte[] sign(RefreshRequested command) {
        return sign(command, null);
    }

    /**
     * The command's record for the admin topic with {@code onBehalfOf} (the user a console acts for), signed.
     *
     * @throws IllegalArgumentException when {@code requestedBy} is not this key's name, or {@code onBehalfOf}
     *     is blank or longer than {@value #MAX_ON_BEHALF_OF} chars
     */
    public byte[] sign(RefreshRequested command, String onBehalfOf) {
        if (!operatorName().equals(command.requestedBy())) {
            throw new IllegalArgumentException("requestedBy must be the signing key's name '" + operatorName()
                    + "': the refresher rejects any other as UNAUTHENTICATED");
        }
        byte[] encoded = EventCodec.json().encode(command);
        if (onBehalfOf != null) {
            if (onBehalfOf.isBlank() || onBehalfOf.length() > MAX_ON_BEHALF_OF) {
                throw new IllegalArgumentException("onBehalfOf must be 1 to " + MAX_ON_BEHALF_OF + " chars");
            }
            ObjectNode tree = StrictJson.object(encoded, "the command");
            tree.put("onBehalfOf", onBehalfOf);
            encoded = StrictJson.MAPPER.writeValueAsBytes(tree);
        }
        return signer.sign(encoded);
    }
}
