package io.tokencast.refresher.service.publish;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a {@link TopicPolicyException} into Spring Boot's "APPLICATION FAILED TO START" report. */
class TopicPolicyFailureAnalyzer extends AbstractFailureAnalyzer<TopicPolicyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, TopicPolicyException cause) {
        return new FailureAnalysis(
                cause.getMessage(),
                "Alter the topics with the commands above (or point tokencast.topics.* at topics that have the"
                        + " policies of docs/design.md §3.2) and start again. tokencast creates missing topics itself"
                        + " with the right policies.",
                cause);
    }
}
