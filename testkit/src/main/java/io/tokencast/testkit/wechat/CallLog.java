package io.tokencast.testkit.wechat;

import java.util.ArrayList;
import java.util.List;

/** Every API call the sandbox answered, in order; thread-safe. */
final class CallLog {

    private final List<SandboxCall> calls = new ArrayList<>();

    synchronized void add(SandboxCall call) {
        calls.add(call);
    }

    synchronized List<SandboxCall> snapshot() {
        return List.copyOf(calls);
    }

    synchronized long count(String account, WeChatEndpoint endpoint) {
        return calls.stream()
                .filter(c -> c.endpoint() == endpoint && account.equals(c.account()))
                .count();
    }
}
