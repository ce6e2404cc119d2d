package io.tokencast.refresher.service.publish;

import java.util.List;

/** An existing tokencast topic has a cleanup policy that would lose tokens, credentials or audit history. */
public final class TopicPolicyException extends IllegalStateException {

    private final List<String> problems;

    TopicPolicyException(List<String> problems) {
        super(problems.size() + (problems.size() == 1 ? " tokencast topic has" : " tokencast topics have")
                + " a policy that would lose data; the refresher will not write to them:\n  - "
                + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per topic: what is wrong, why it matters, and the command that fixes it. */
    public List<String> problems() {
        return problems;
    }
}
