package io.tokencast.consumer.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokencast.schema.DefaultTopics;
import org.junit.jupiter.api.Test;

class TokenConsumerPropertiesTest {

    @Test
    void defaultsToTheContractsTopicNames() {
        TokenConsumerProperties properties = new TokenConsumerProperties();

        assertThat(properties.getTopic()).isEqualTo(DefaultTopics.TOKENS);
        assertThat(properties.getReportsTopic()).isEqualTo(DefaultTopics.REPORTS);
        assertThat(properties.getHeartbeat().getTopic()).isEqualTo(DefaultTopics.CONSUMERS);
    }
}
