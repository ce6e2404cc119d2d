package io.tokencast.trust.signing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.trust.JoseVectors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** jcs.json: the RFC 8785 form of each input, escapes, member order by UTF-16 code units and -0 included. */
class JcsVectorsTest {

    static List<String[]> vectors() {
        List<String[]> vectors = new ArrayList<>();
        for (JsonNode node : JoseVectors.json("jcs.json")) {
            vectors.add(new String[] {
                node.get("input").asString(), node.get("canonical").asString()
            });
        }
        return vectors;
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void canonicalizesLikeTheVector(String input, String canonical) {
        assertThat(StrictJson.canonical(input)).isEqualTo(canonical);
    }
}
