package io.tokencast.refresher.service.openplatform;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code tokencast.open-platform.*} properties: third-party platforms (开放平台) whose component and
 * authorizer tokens this refresher keeps fresh, and how their verify-ticket callback is guarded.
 *
 * @param components the third-party platforms
 * @param authorizers accounts authorized to a component whose refresh tokens are already known (platforms
 *     migrating in); authorizers that authorize later arrive through the callback
 * @param callback limits of {@code POST /wechat/open-platform/{componentAppid}/callback}
 * @param verifyTicketMaxAge a verify ticket older than this is not used (WeChat: valid 12 h)
 * @param startPushInterval at most one {@code api_start_push_ticket} per component in this interval, across
 *     replicas
 */
@ConfigurationProperties("tokencast.open-platform")
public record OpenPlatformProperties(
        List<Component> components,
        List<Authorizer> authorizers,
        @DefaultValue Callback callback,
        @DefaultValue("12h") Duration verifyTicketMaxAge,
        @DefaultValue("10m") Duration startPushInterval) {

    public OpenPlatformProperties {
        components = components == null ? List.of() : List.copyOf(components);
        authorizers = authorizers == null ? List.of() : List.copyOf(authorizers);
    }

    /**
     * One third-party platform, as configured in the open platform console.
     *
     * @param appid the component appid
     * @param secret the component AppSecret; never logged
     * @param encodingAesKey the 43-character message encryption key; never logged
     * @param previousEncodingAesKey the key before the last change, still tried while WeChat switches over
     * @param callbackToken the message verification token; never logged
     */
    public record Component(
            String appid, String secret, String encodingAesKey, String previousEncodingAesKey, String callbackToken) {
        @Override
        public String toString() {
            return "Component[appid=" + appid
                    + ", secret=<redacted>, encodingAesKey=<redacted>, callbackToken=<redacted>]";
        }
    }

    /**
     * An account that authorized a component, with the refresh token the platform already holds.
     *
     * @param refreshToken the {@code authorizer_refresh_token}; seeds the vault only when it holds none
     *     newer, never logged
     */
    public record Authorizer(String componentAppid, String authorizerAppid, String refreshToken) {
        @Override
        public String toString() {
            return "Authorizer[componentAppid=" + componentAppid + ", authorizerAppid=" + authorizerAppid
                    + ", refreshToken=<redacted>]";
        }
    }

    /**
     * Guards of the callback endpoint.
     *
     * @param maxBodySize larger bodies are refused with 413 before they are parsed
     * @param replayWindow a push whose timestamp is further than this from now is refused as a replay;
     *     nonces are remembered for twice this long
     */
    public record Callback(
            @DefaultValue("64KB") org.springframework.util.unit.DataSize maxBodySize,
            @DefaultValue("5m") Duration replayWindow) {}
}
