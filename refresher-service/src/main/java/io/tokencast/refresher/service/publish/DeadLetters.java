package io.tokencast.refresher.service.publish;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Keeps records that tokencast refused, raw, for an operator to inspect: admin and reports records that are not
 * valid commands, and poison met on the tokens and credentials topics ({@link PoisonRecords}).
 */
public interface DeadLetters {

    /**
     * Keeps {@code record} with where it came from and why it was refused; returns once the broker has it.
     *
     * @param problem a code, e.g. {@code MALFORMED_JSON} or {@code UNKNOWN_KEY}
     * @param message what is wrong with it; never quotes the payload
     * @throws DeadLetterException when the broker did not take it
     */
    void keep(ConsumerRecord<byte[], byte[]> record, String problem, String message);
}
