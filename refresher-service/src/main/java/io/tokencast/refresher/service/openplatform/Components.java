package io.tokencast.refresher.service.openplatform;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The third-party platforms this refresher serves, by component appid. Immutable. */
final class Components {

    private final Map<String, Component> byAppid = new LinkedHashMap<>();

    Components(List<Component> components) {
        components.forEach(c -> byAppid.put(c.appid(), c));
    }

    static Components of(OpenPlatformProperties properties) {
        return new Components(properties.components().stream()
                .map(c -> new Component(
                        c.appid(),
                        c.secret(),
                        new MessageCrypto(
                                c.appid(), c.callbackToken(), c.encodingAesKey(), c.previousEncodingAesKey())))
                .toList());
    }

    Optional<Component> find(String appid) {
        return Optional.ofNullable(appid == null ? null : byAppid.get(appid));
    }

    List<Component> all() {
        return List.copyOf(byAppid.values());
    }
}
