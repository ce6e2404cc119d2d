package io.tokencast.refresher.service.console;

import io.tokencast.schema.InvalidTokenKeyException;
import io.tokencast.schema.TokenKey;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.view.RedirectView;

/**
 * The console's HTTP surface, all behind login: the page ({@code /console/}), its live feed
 * ({@code /console/events}) and its JSON API ({@code /console/api/*}). Answers carry versions, fingerprints and
 * times, never a token.
 */
@RestController
@ConditionalOnManagementPort(ManagementPortType.SAME)
class ConsoleController {

    private final ConsoleState state;
    private final ConsoleEvents events;
    private final OperatorCommands commands;

    ConsoleController(ConsoleState state, ConsoleEvents events, OperatorCommands commands) {
        this.state = state;
        this.events = events;
        this.commands = commands;
    }

    @GetMapping("/console")
    RedirectView page() {
        return new RedirectView("/console/");
    }

    @GetMapping("/console/")
    ModelAndView index() {
        return new ModelAndView("forward:/console/index.html");
    }

    @GetMapping("/console/events")
    ResponseEntity<SseEmitter> events() {
        SseEmitter emitter = events.subscribe();
        return emitter == null
                ? ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).build()
                : ResponseEntity.ok(emitter);
    }

    @GetMapping("/console/api/session")
    Map<String, String> session(Principal operator, CsrfToken csrf) {
        return Map.of("operator", operator.getName(), "csrfHeader", csrf.getHeaderName(), "csrfToken", csrf.getToken());
    }

    @GetMapping("/console/api/state")
    ConsoleView view() {
        return state.view();
    }

    @GetMapping("/console/api/keys/{kind}/{account}/history")
    List<ConsoleView.Outcome> history(@PathVariable String kind, @PathVariable String account) {
        return state.history(key(kind, account));
    }

    /** Body: {@code {"force": true|false}}; force asks WeChat for a new stable token (20 per day). */
    @PostMapping("/console/api/keys/{kind}/{account}/refresh")
    Map<String, String> refresh(
            @PathVariable String kind,
            @PathVariable String account,
            @RequestBody(required = false) RefreshBody body,
            Principal operator) {
        boolean force = body != null && Boolean.TRUE.equals(body.force());
        UUID commandId = commands.refresh(key(kind, account), force, operator.getName());
        state.quotaChanged();
        return Map.of("commandId", commandId.toString());
    }

    record RefreshBody(Boolean force) {}

    private static TokenKey key(String kind, String account) {
        try {
            return TokenKey.parse(kind + "/" + account);
        } catch (InvalidTokenKeyException e) {
            throw new OperatorCommands.Refused(400, e.getMessage());
        }
    }

    @ExceptionHandler(OperatorCommands.Refused.class)
    ResponseEntity<Map<String, String>> refused(OperatorCommands.Refused refused) {
        return ResponseEntity.status(refused.status).body(Map.of("error", refused.getMessage()));
    }
}
