package io.tokencast.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one list of required fields is the JSON Schemas' own: each schema requires its envelope and that list. */
class RequiredFieldsTest {

    @ParameterizedTest
    @ValueSource(
            classes = {
                TokenRefreshed.class,
                TokenRetired.class,
                RefreshAttempted.class,
                RefreshRequested.class,
                CredentialStored.class,
                ConsumerHeartbeat.class
            })
    void isTheRequiredListOfTheSchema(Class<? extends TokencastEvent> type) {
        List<String> expected = new ArrayList<>(List.of("type", "schemaVersion"));
        expected.addAll(RequiredFields.of(type));

        assertThat(SchemaCheck.required(type)).containsExactlyElementsOf(expected);
    }
}
