package io.tokencast.refresher.service.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokencast.consumer.TokenView;
import io.tokencast.refresher.service.Operator;
import io.tokencast.refresher.service.TestSigning;
import io.tokencast.refresher.service.Topics;
import io.tokencast.refresher.service.testing.RunningRefreshers;
import io.tokencast.refresher.service.testing.TestRefresher;
import io.tokencast.schema.ConsumerHeartbeat;
import io.tokencast.schema.EventCodec;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenKind;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.testkit.LocalInfrastructure;
import io.tokencast.testkit.wechat.WeChatSandbox;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The console in a real browser (headless Chromium driven by Selenium): refused without login, then logged in
 * it shows the keys, runs countdowns, sends a refresh in the operator's name and shows the new version without
 * a reload, flags a lagging consumer, and never carries a token. Leaves a screenshot at
 * {@code target/console.png} (README: how it becomes docs/console.png).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserIT {

    static final Path SCREENSHOT = Path.of("target", "console.png");

    private static final String OPERATOR = "ops-anna";
    /** The console's own operator key; the refresher trusts its public half. */
    private final Operator console = Operator.named("console");

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Clock clock = Clock.systemUTC();
    private final String password = UUID.randomUUID().toString();
    private final TestRefresher refresher =
            TestRefresher.named("console", clock).tick(Duration.ofMillis(200));
    private final String tokensTopic = refresher.tokensTopic();
    private final String consumersTopic = refresher.consumersTopic();
    private final String stableApp = "wxc0501e0000000001";
    private final String classicApp = "wxc0501e0000000002";
    private final TokenKey stableKey = TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, stableApp);
    private final TokenKey classicKey = TokenKey.of(TokenKind.WECHAT_ACCESS_TOKEN, classicApp);
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private RunningRefreshers refreshers;
    private ChromeDriver browser;
    private String base;
    private String serverPort;

    @BeforeAll
    void startRefresherConsumerAndBrowser() {
        WeChatSandbox sandbox = WeChatSandbox.start(clock);
        closeables.add(sandbox);
        String stableSecret = "secret-" + UUID.randomUUID();
        String classicSecret = "secret-" + UUID.randomUUID();
        sandbox.registerApp(stableApp, stableSecret);
        sandbox.registerApp(classicApp, classicSecret);
        refreshers = new RunningRefreshers(refresher
                .sandbox(sandbox)
                .wechatApp(stableApp, stableSecret, "stable")
                .wechatApp(classicApp, classicSecret, "classic")
                .properties(List.of(
                        console.property(),
                        "tokencast.console.operator-key-file=" + console.privateKeyFile(),
                        "tokencast.console.users[0].name=" + OPERATOR,
                        "tokencast.console.users[0].password-hash=" + new BCryptPasswordEncoder().encode(password))));
        ConfigurableApplicationContext context = refreshers.start("console-a");
        // the console is on the management port; the server port serves the open-platform callback alone
        base = "http://localhost:" + context.getEnvironment().getProperty("local.management.port");
        serverPort = "http://localhost:" + context.getEnvironment().getProperty("local.server.port");

        TokenView view = TokenView.builder()
                .bootstrapServers(LocalInfrastructure.shared().kafkaBootstrapServers())
                .topic(tokensTopic)
                .refresherKeysFile(TestSigning.FILES.publicFile())
                .consumersTopic(consumersTopic)
                .clientId("orders")
                .instanceId("orders-1")
                .heartbeatInterval(Duration.ofMillis(500))
                .build();
        closeables.add(0, view);
        view.start();

        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1500,1100");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new java.io.File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    void close() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (refreshers != null) {
            refreshers.close();
        }
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }

    @Test
    void anOperatorSeesTheTokensRefreshesOneSpotsALaggardAndNeverReceivesAToken() throws Exception {
        // refused without login: the page sends the browser to log in, the API and the feed say 401
        browser.get(base + "/console/");
        assertThat(browser.getCurrentUrl()).endsWith("/login");
        assertThat(status("/console/api/state")).isEqualTo(401);
        assertThat(status("/console/events")).isEqualTo(401);
        // the server port has no console and no login page
        assertThat(status(serverPort, "/console/")).isEqualTo(404);
        assertThat(status(serverPort, "/console/index.html")).isEqualTo(404);
        assertThat(status(serverPort, "/login")).isEqualTo(404);

        // a wrong password is refused
        browser.findElement(By.name("username")).sendKeys(OPERATOR);
        browser.findElement(By.name("password")).sendKeys("not-" + password);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        until(() -> browser.getCurrentUrl().endsWith("/login?error"));

        // log in
        browser.findElement(By.name("username")).sendKeys(OPERATOR);
        browser.findElement(By.name("password")).sendKeys(password);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        until(() -> browser.getCurrentUrl().endsWith("/console/"));
        until(() -> text(By.id("operator")).equals(OPERATOR));

        // the keys, with their first versions
        until(() -> cell(stableKey, ".version").equals("v1")
                && cell(classicKey, ".version").equals("v1"));

        // a countdown moves by itself
        String before = await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> cell(classicKey, ".expires-in"), text -> text.contains(":"));
        until(() -> seconds(cell(classicKey, ".expires-in")) < seconds(before));

        // refresh: the new version appears without a reload, signed by the console for the operator
        ((JavascriptExecutor) browser).executeScript("window.notReloaded = true;");
        click(classicKey, "button.refresh");
        until(() -> cell(classicKey, ".version").equals("v2"));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.notReloaded === true;"))
                .isEqualTo(true);
        click(classicKey, ".key");
        until(() -> text(By.id("history-table")).contains("console for " + OPERATOR)
                && text(By.id("history-table")).contains("MANUAL"));

        // a consumer that still holds version 1 is flagged as behind; the real one is current
        TokenRefreshed v1 = published().stream()
                .filter(t -> t.tokenKey().equals(classicKey) && t.version() == 1)
                .findFirst()
                .orElseThrow();
        lagging("billing-7", v1);
        until(() -> browser.findElements(By.cssSelector("tr[data-instance='billing-7'].behind"))
                        .size()
                == 1);
        until(() -> cell(classicKey, ".fleet").contains("billing-7 behind on v1"));
        until(() -> cell(classicKey, ".fleet").contains("1 current"));
        until(() -> browser.findElements(By.cssSelector("tr[data-instance='orders-1']:not(.behind)"))
                        .size()
                == 1);

        // a force refresh asks first and shows the force budget left
        click(stableKey, "button.force");
        until(() -> browser.findElement(By.id("confirm")).isDisplayed());
        assertThat(text(By.id("confirm-quota"))).isEqualTo("20 of 20");
        Files.createDirectories(SCREENSHOT.getParent());
        browser.findElement(By.id("confirm-no")).click();
        until(() -> !browser.findElement(By.id("confirm")).isDisplayed());
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);

        // no token ever reached the browser: not the page, not the API, not the live feed
        String page = browser.getPageSource();
        String api = fetchInBrowser("/console/api/state");
        String history = fetchInBrowser("/console/api/keys/wechat-access-token/" + classicApp + "/history");
        String feed = firstEventInBrowser();
        List<String> tokens = published().stream().map(TokenRefreshed::token).toList();
        assertThat(tokens).hasSizeGreaterThanOrEqualTo(3);
        assertThat(api).contains(classicKey.asString());
        assertThat(feed).contains(classicKey.asString());
        for (String token : tokens) {
            assertThat(page).doesNotContain(token);
            assertThat(api).doesNotContain(token);
            assertThat(history).doesNotContain(token);
            assertThat(feed).doesNotContain(token);
        }
    }

    private List<TokenRefreshed> published() {
        return new Topics(LocalInfrastructure.shared().kafkaBootstrapServers())
                .records(tokensTopic).stream()
                        .filter(record -> record.value() != null)
                        .map(record -> EventCodec.json().decode(record.value(), TokenRefreshed.class))
                        .toList();
    }

    private void lagging(String instanceId, TokenRefreshed held) throws Exception {
        ConsumerHeartbeat heartbeat = new ConsumerHeartbeat(
                instanceId,
                "billing",
                "host-7",
                "0.0.9",
                clock.instant(),
                clock.instant(),
                null,
                null,
                null,
                List.of(new ConsumerHeartbeat.HeldVersion(held.tokenKey(), held.version(), held.fingerprint())));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        LocalInfrastructure.shared().kafkaBootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            consumersTopic, instanceId, EventCodec.json().encode(heartbeat)))
                    .get();
        }
    }

    private int status(String path) throws Exception {
        return status(base, path);
    }

    private static int status(String origin, String path) throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return client.send(
                        HttpRequest.newBuilder(URI.create(origin + path)).build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private String fetchInBrowser(String path) {
        return (String) ((JavascriptExecutor) browser)
                .executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + "fetch(arguments[0]).then(r => r.text()).then(done, e => done('failed: ' + e));",
                        path);
    }

    private String firstEventInBrowser() {
        return (String) ((JavascriptExecutor) browser)
                .executeAsyncScript("const done = arguments[arguments.length - 1];"
                        + "const events = new EventSource('/console/events');"
                        + "events.addEventListener('state', e => { events.close(); done(e.data); });");
    }

    private WebElement row(TokenKey key) {
        return browser.findElement(By.cssSelector("tr[data-key='" + key.asString() + "']"));
    }

    private String text(By by) {
        return browser.findElement(by).getText();
    }

    /** A cell of the key's row; the page re-renders every push, so callers retry on a stale element. */
    private String cell(TokenKey key, String css) {
        return row(key).findElement(By.cssSelector(css)).getText();
    }

    /** Clicks in the key's row, again if the row was re-rendered under the click. */
    private void click(TokenKey key, String css) {
        until(() -> {
            row(key).findElement(By.cssSelector(css)).click();
            return true;
        });
    }

    private static long seconds(String countdown) {
        long total = 0;
        for (String part : countdown.replace("−", "-").split(":")) {
            total = total * 60 + Long.parseLong(part.trim());
        }
        return total;
    }

    private void until(java.util.concurrent.Callable<Boolean> condition) {
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(condition);
    }
}
