package io.tokencast.consumer;

import static io.tokencast.consumer.Events.START;
import static io.tokencast.consumer.Events.key;
import static io.tokencast.consumer.Events.version;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.schema.EventCodec;
import io.tokencast.schema.EventDecodingException;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.MutableClock;
import io.tokencast.testkit.poison.PoisonGallery;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fuzzing the view's record reader (issue 14, point 11): 20k batches of mutated records, each mixing the poison
 * gallery with random edits of a genuine record. The reader never throws, counts what it skips, and a held
 * genuine token is only ever replaced by a record the codec accepts with a higher version.
 */
class TokenRecordsFuzzTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final TokenKey KEY = key("wx00000000000000f1");
    private static final TokenRefreshed GENUINE = version(KEY, 5);
    private static final List<PoisonGallery.Poison> GALLERY = PoisonGallery.of(GENUINE);
    private static final String[] LITERALS = {
        "null",
        "0",
        "-1",
        "9223372036854775807",
        "9007199254740992",
        "1e308",
        "\"\"",
        "\"\\r\\n\"",
        "{}",
        "[]",
        "\"+999999999-12-31T23:59:59Z\"",
        "\"3000-01-01T00:00:00Z\"",
        "\"wechat-access-token/wx00000000000000f2\"",
        "6",
        "7",
        "\"x\"",
        "[[[[[[[[]]]]]]]]"
    };

    @Property(tries = 20_000, shrinking = ShrinkingMode.OFF)
    void noRecordEscapesTheReaderOrReplacesTheGenuineTokenUnlessValidAndNewer(@ForAll("batches") List<byte[]> batch) {
        TokenTable table = new TokenTable(new MutableClock(START), Duration.ofMinutes(2), "fuzz");
        TokenRecords records = new TokenRecords(table);
        table.markReady();
        records.accept(new ConsumerRecord<>(
                "t", 0, 0, KEY.asString(), EventCodec.json().encode(GENUINE)));

        long highestValid = GENUINE.version();
        int offset = 1;
        for (byte[] value : batch) {
            records.accept(new ConsumerRecord<>("t", 0, offset++, KEY.asString(), value));
            highestValid = Math.max(highestValid, validVersion(value));
        }

        TokenRefreshed held = table.snapshot().get(KEY);
        assertThat(held.version()).isEqualTo(highestValid);
        if (held.version() == GENUINE.version()) {
            assertThat(held).isEqualTo(GENUINE);
        }
        assertThat(table.stats().recordsRead()).isEqualTo(batch.size() + 1L);
        assertThat(table.stats().readerAlive()).isTrue();
    }

    @Provide
    Arbitrary<List<byte[]>> batches() {
        return Arbitraries.longs().map(seed -> {
            Random random = new Random(seed);
            byte[][] batch = new byte[1 + random.nextInt(5)][];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = random.nextInt(3) == 0
                        ? GALLERY.get(random.nextInt(GALLERY.size())).value()
                        : edited(random);
            }
            return List.of(batch);
        });
    }

    private static byte[] edited(Random random) {
        byte[] json = EventCodec.json().encode(GENUINE);
        if (random.nextInt(6) == 0) {
            return Arrays.copyOf(json, random.nextInt(json.length));
        }
        ObjectNode tree = (ObjectNode) MAPPER.readTree(json);
        List<String> names = List.copyOf(tree.propertyNames());
        for (int n = 1 + random.nextInt(2); n > 0; n--) {
            tree.set(
                    names.get(random.nextInt(names.size())),
                    MAPPER.readTree(LITERALS[random.nextInt(LITERALS.length)]));
        }
        return MAPPER.writeValueAsBytes(tree);
    }

    /** The version of a payload the codec accepts for this key, else 0. */
    private static long validVersion(byte[] value) {
        try {
            TokenRefreshed event = EventCodec.json().decode(value, TokenRefreshed.class);
            return event.tokenKey().equals(KEY) ? event.version() : 0;
        } catch (EventDecodingException e) {
            return 0;
        }
    }
}
