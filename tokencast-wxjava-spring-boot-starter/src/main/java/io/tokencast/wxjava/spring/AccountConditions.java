package io.tokencast.wxjava.spring;

import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** When each WxJava service type is wired: when its account is named, in tokencast's property or WxJava's. */
final class AccountConditions {

    private AccountConditions() {}

    /** Matches when any of the properties has text. */
    abstract static class AnyProperty extends SpringBootCondition {

        private final String what;
        private final List<String> names;

        AnyProperty(String what, String... names) {
            this.what = what;
            this.names = List.of(names);
        }

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Environment environment = context.getEnvironment();
            for (String name : names) {
                String value = environment.getProperty(name);
                if (value != null && !value.isBlank()) {
                    return ConditionOutcome.match(what + " named by " + name);
                }
            }
            return ConditionOutcome.noMatch(what + " not named; set one of " + names);
        }
    }

    static final class Mp extends AnyProperty {
        Mp() {
            super("official account", "tokencast.wxjava.mp.app-id", "wx.mp.app-id");
        }
    }

    static final class Miniapp extends AnyProperty {
        Miniapp() {
            super("mini program", "tokencast.wxjava.miniapp.appid", "wx.miniapp.appid");
        }
    }

    static final class Cp extends AnyProperty {
        Cp() {
            super("WeCom corp", "tokencast.wxjava.cp.corp-id", "wx.cp.corp-id");
        }
    }

    static final class Open extends AnyProperty {
        Open() {
            super("open-platform component", "tokencast.wxjava.open.component-app-id", "wx.open.app-id");
        }
    }
}
