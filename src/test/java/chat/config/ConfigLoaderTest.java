package chat.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import chat.line.Texts;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(VertxExtension.class)
@Timeout(10)
class ConfigLoaderTest {

  /** The one Vertx of this class, injected once and closed by the extension after the last test. */
  private static Vertx vertx;

  @BeforeAll
  static void startVertx(Vertx shared) {
    vertx = shared;
  }

  private static JsonObject defaults() {
    return new JsonObject()
        .put("tcp", new JsonObject().put("host", "0.0.0.0").put("port", 9900).put("instances", 0)
            .put("sendBufferBytes", 65536).put("nativeTransport", true))
        .put("http", new JsonObject().put("port", 8080))
        .put("locale", "ko")
        .put("legacy", new JsonObject().put("flushMillis", 200))
        .put("limits", new JsonObject().put("maxLineBytes", 4096).put("sendQueueBytes", 1048576)
            .put("linesPerSecond", 5).put("lineBurst", 10).put("floodQueueLines", 20)
            .put("registrationTimeoutSeconds", 60).put("idleTimeoutSeconds", 0)
            .put("connectionsPerIp", 0).put("maxConnections", 0))
        .put("tls", new JsonObject().put("enabled", false).put("port", 9943).put("certPath", "").put("keyPath", ""))
        .put("proxyProtocol", new JsonObject().put("enabled", false))
        .put("shutdown", new JsonObject().put("graceSeconds", 20))
        .put("cluster", new JsonObject().put("enabled", false).put("members", "").put("kubernetesDns", "")
            .put("host", "").put("publicHost", "").put("port", 5701).put("busPort", 0)
            .put("failureDetectionSeconds", 8)
            .put("handshakeTimeoutMillis", 2000))
        .put("web", new JsonObject().put("enabled", true).put("port", 8081).put("allowedOrigins", ""))
        .put("irc", new JsonObject().put("enabled", true).put("port", 6667).put("tlsPort", 6697)
            .put("serverName", "irc.example").put("network", "chat").put("password", "").put("motd", ""))
        .put("history", new JsonObject().put("lines", 100).put("maxAgeSeconds", 86400).put("maxRooms", 1000)
            .put("replayLines", 20).put("timeZone", "UTC").put("orderBufferLines", 2048));
  }

  private static JsonObject with(String dottedKey, Object value) {
    JsonObject tree = defaults();
    String[] parts = dottedKey.split("\\.");
    JsonObject node = tree;
    for (int i = 0; i < parts.length - 1; i++) {
      node = node.getJsonObject(parts[i]);
    }
    if (value == null) {
      node.remove(parts[parts.length - 1]);
    } else {
      node.put(parts[parts.length - 1], value);
    }
    return tree;
  }

  // environment variable names

  static Stream<Arguments> envNames() {
    return Stream.of(
        arguments("limits.maxLineBytes", "CHAT_LIMITS_MAX_LINE_BYTES"),
        arguments("tcp.port", "CHAT_TCP_PORT"),
        arguments("legacy.flushMillis", "CHAT_LEGACY_FLUSH_MILLIS"),
        arguments("cluster.enabled", "CHAT_CLUSTER_ENABLED"),
        arguments("locale", "CHAT_LOCALE"),
        arguments("tcp.sendBufferBytes", "CHAT_TCP_SEND_BUFFER_BYTES"),
        arguments("tcp.nativeTransport", "CHAT_TCP_NATIVE_TRANSPORT"),
        arguments("cluster.busPort", "CHAT_CLUSTER_BUS_PORT"),
        arguments("limits.connectionsPerIp", "CHAT_LIMITS_CONNECTIONS_PER_IP"),
        arguments("limits.registrationTimeoutSeconds", "CHAT_LIMITS_REGISTRATION_TIMEOUT_SECONDS"),
        arguments("shutdown.graceSeconds", "CHAT_SHUTDOWN_GRACE_SECONDS"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("envNames")
  void keysMapToUpperSnakeCaseEnvironmentNames(String key, String envName) {
    assertThat(ConfigLoader.envName(key)).isEqualTo(envName);
  }

  // environment overlay

  @Test
  void environmentOverridesAnIntegerLeafAsANumber() {
    JsonObject tree = ConfigLoader.withEnvironment(defaults(), Map.of("CHAT_TCP_PORT", " 9901 "));

    assertThat(tree.getJsonObject("tcp").getValue("port")).isInstanceOf(Number.class);
    assertThat(tree.getJsonObject("tcp").getInteger("port")).isEqualTo(9901);
    assertThat(ChatConfig.from(tree).tcp().port()).isEqualTo(9901);
  }

  @Test
  void environmentOverridesAStringLeafAsAString() {
    JsonObject tree = ConfigLoader.withEnvironment(defaults(),
        Map.of("CHAT_TCP_HOST", "127.0.0.1", "CHAT_LOCALE", "en"));

    assertThat(tree.getJsonObject("tcp").getValue("host")).isEqualTo("127.0.0.1");
    assertThat(tree.getValue("locale")).isEqualTo("en");
    assertThat(ChatConfig.from(tree).texts()).isEqualTo(Texts.EN);
  }

  @Test
  void aNumericValueForAStringLeafStaysAString() {
    JsonObject tree = ConfigLoader.withEnvironment(defaults(), Map.of("CHAT_TCP_HOST", "10"));

    assertThat(tree.getJsonObject("tcp").getValue("host")).isEqualTo("10");
  }

  @ParameterizedTest
  @ValueSource(strings = {"true", "FALSE", " True "})
  void environmentOverridesABooleanLeafAsABoolean(String raw) {
    JsonObject tree = new JsonObject().put("cluster", new JsonObject().put("enabled", !Boolean.parseBoolean(raw.strip())));

    JsonObject overlaid = ConfigLoader.withEnvironment(tree, Map.of("CHAT_CLUSTER_ENABLED", raw));

    assertThat(overlaid.getJsonObject("cluster").getValue("enabled")).isEqualTo(Boolean.parseBoolean(raw.strip()));
  }

  @Test
  void aNonBooleanValueForABooleanLeafNamesTheKey() {
    JsonObject tree = new JsonObject().put("cluster", new JsonObject().put("enabled", false));

    assertThatThrownBy(() -> ConfigLoader.withEnvironment(tree, Map.of("CHAT_CLUSTER_ENABLED", "yes")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cluster.enabled");
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "9.5", "", "1e3", "9900x"})
  void aNonIntegerValueForAnIntegerLeafNamesTheKey(String raw) {
    assertThatThrownBy(() -> ConfigLoader.withEnvironment(defaults(), Map.of("CHAT_LIMITS_MAX_LINE_BYTES", raw)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("limits.maxLineBytes");
  }

  @Test
  void withoutMatchingVariablesTheTreeIsUnchanged() {
    JsonObject original = defaults();

    JsonObject overlaid = ConfigLoader.withEnvironment(original, Map.of("PATH", "/bin", "CHAT_NO_SUCH_KEY", "1"));

    assertThat(overlaid).isEqualTo(defaults());
    assertThat(original).isEqualTo(defaults());
  }

  // validation

  @Test
  void theDocumentedDefaultsAreValid() {
    ChatConfig config = ChatConfig.from(defaults());

    assertThat(config.tcp()).isEqualTo(new ChatConfig.Tcp("0.0.0.0", 9900, 0, 65536, true));
    assertThat(config.http().port()).isEqualTo(8080);
    assertThat(config.texts()).isEqualTo(Texts.KO);
    assertThat(config.legacy().flushMillis()).isEqualTo(200);
    assertThat(config.limits()).isEqualTo(new ChatConfig.Limits(4096, 1048576, 5, 10, 20, 60, 0, 0, 0));
    assertThat(config.limits().floodControl()).isTrue();
    assertThat(config.tls()).isEqualTo(new ChatConfig.Tls(false, 9943, "", ""));
    assertThat(config.proxyProtocol().enabled()).isFalse();
    assertThat(config.shutdown().graceSeconds()).isEqualTo(20);
    assertThat(config.web()).isEqualTo(new ChatConfig.Web(true, 8081, java.util.List.of()));
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        arguments("tcp.port", 70000),
        arguments("tcp.port", -1),
        arguments("http.port", 65536),
        arguments("http.port", "8080"),
        arguments("locale", "fr"),
        arguments("locale", ""),
        arguments("tcp.host", ""),
        arguments("limits.maxLineBytes", 0),
        arguments("limits.maxLineBytes", 1.5),
        arguments("limits.sendQueueBytes", 0),
        arguments("legacy.flushMillis", -1),
        arguments("legacy.flushMillis", null),
        arguments("limits.maxLineBytes", null),
        arguments("shutdown.graceSeconds", 0),
        arguments("limits.linesPerSecond", -1),
        arguments("limits.lineBurst", -1),
        arguments("limits.floodQueueLines", -1),
        arguments("limits.registrationTimeoutSeconds", -5),
        arguments("limits.idleTimeoutSeconds", "60"),
        arguments("limits.connectionsPerIp", -1),
        arguments("limits.maxConnections", null),
        arguments("tls.enabled", "yes"),
        arguments("tls.port", 65536),
        arguments("tls.certPath", 5),
        arguments("proxyProtocol.enabled", null),
        arguments("cluster.enabled", "yes"),
        arguments("cluster.port", 0),
        arguments("cluster.busPort", 65536),
        arguments("cluster.failureDetectionSeconds", 1),
        arguments("cluster.handshakeTimeoutMillis", 99),
        arguments("cluster.members", "127.0.0.1:99999"),
        arguments("cluster.members", "127.0.0.1:57x1"),
        arguments("cluster.host", 5),
        arguments("web.enabled", "yes"),
        arguments("web.port", 65536),
        arguments("web.port", 9900),
        arguments("web.allowedOrigins", "example.com"),
        arguments("web.allowedOrigins", "https://a.example/path"));
  }

  @Test
  void eitherFloodSettingAtZeroTurnsFloodControlOff() {
    assertThat(ChatConfig.from(with("limits.linesPerSecond", 0)).limits().floodControl()).isFalse();
    assertThat(ChatConfig.from(with("limits.lineBurst", 0)).limits().floodControl()).isFalse();
  }

  @Test
  void tlsNeedsReadableCertificateAndKeyFiles(@TempDir Path dir) throws Exception {
    Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
    Path key = Files.writeString(dir.resolve("key.pem"), "x");
    JsonObject enabled = with("tls.enabled", true);

    assertThatThrownBy(() -> ChatConfig.from(enabled))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("tls.certPath:");
    enabled.getJsonObject("tls").put("certPath", cert.toString()).put("keyPath", dir.resolve("nope.pem").toString());
    assertThatThrownBy(() -> ChatConfig.from(enabled))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("tls.keyPath:");
    enabled.getJsonObject("tls").put("keyPath", key.toString()).put("port", 9900);
    assertThatThrownBy(() -> ChatConfig.from(enabled))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("tls.port:");
    enabled.getJsonObject("tls").put("port", 9943);
    assertThat(ChatConfig.from(enabled).tls()).isEqualTo(new ChatConfig.Tls(true, 9943, cert.toString(), key.toString()));
  }

  @Test
  void clusterMembersAreAListAndEmptyStringsMeanUnset() {
    JsonObject tree = ConfigLoader.withEnvironment(defaults(), Map.of(
        "CHAT_CLUSTER_ENABLED", "true",
        "CHAT_CLUSTER_MEMBERS", " 127.0.0.1:5701, 127.0.0.1:5702 ,10.0.0.3"));

    ChatConfig.Cluster cluster = ChatConfig.from(tree).cluster();

    assertThat(cluster.members()).containsExactly("127.0.0.1:5701", "127.0.0.1:5702", "10.0.0.3");
    assertThat(cluster.kubernetesDns()).isEmpty();
    assertThat(cluster.host()).isEmpty();
    assertThat(ChatConfig.from(defaults()).cluster())
        .isEqualTo(new ChatConfig.Cluster(false, java.util.List.of(), "", "", "", 5701, 0, 8, 2000));
  }

  @Test
  void webAllowedOriginsAreAList() {
    JsonObject tree = ConfigLoader.withEnvironment(defaults(), Map.of(
        "CHAT_WEB_ALLOWED_ORIGINS", " https://chat.example.com, http://localhost:3000 "));

    assertThat(ChatConfig.from(tree).web().allowedOrigins())
        .containsExactly("https://chat.example.com", "http://localhost:3000");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "both"})
  void anEnabledClusterNeedsExactlyOneWayToFindMembers(String discovery) {
    JsonObject tree = with("cluster.enabled", true);
    if (discovery.equals("both")) {
      tree.getJsonObject("cluster").put("members", "127.0.0.1:5701").put("kubernetesDns", "chat.ns.svc");
    }

    assertThatThrownBy(() -> ChatConfig.from(tree))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("cluster.members:");
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("badValues")
  void aBadValueIsRejectedNamingTheKey(String key, Object value) {
    assertThatThrownBy(() -> ChatConfig.from(with(key, value)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(key + ":");
  }

  @Test
  void aMissingSectionNamesTheKey() {
    JsonObject tree = defaults();
    tree.remove("limits");

    assertThatThrownBy(() -> ChatConfig.from(tree))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("limits.maxLineBytes:");
  }

  // loading the shipped file

  @Test
  void shippedApplicationYamlHoldsTheDocumentedDefaults(VertxTestContext ctx) {
    ConfigLoader.load(vertx, Map.of()).onComplete(ctx.succeeding(config -> ctx.verify(() -> {
      assertThat(config.tcp().host()).isEqualTo("0.0.0.0");
      assertThat(config.tcp().port()).isEqualTo(9900);
      assertThat(config.http().port()).isEqualTo(8080);
      assertThat(config.texts()).isEqualTo(Texts.KO);
      assertThat(config.legacy().flushMillis()).isEqualTo(200);
      assertThat(config.limits().maxLineBytes()).isEqualTo(4096);
      assertThat(config.limits().sendQueueBytes()).isEqualTo(1048576);
      assertThat(config.limits()).isEqualTo(new ChatConfig.Limits(4096, 1048576, 5, 10, 20, 60, 0, 0, 0));
      assertThat(config.tls()).isEqualTo(new ChatConfig.Tls(false, 9943, "", ""));
      assertThat(config.proxyProtocol().enabled()).isFalse();
      assertThat(config.shutdown().graceSeconds()).isEqualTo(20);
      assertThat(config.cluster()).isEqualTo(ChatConfig.from(defaults()).cluster());
      assertThat(config.web()).isEqualTo(new ChatConfig.Web(true, 8081, java.util.List.of()));
      assertThat(config.history()).isEqualTo(new ChatConfig.History(100, 86400, 1000, 20, java.time.ZoneId.of("UTC"), 2048));
      ctx.completeNow();
    })));
  }

  @Test
  void historyTakesAZoneAndReplaysNoMoreLinesThanItKeeps() {
    assertThat(ChatConfig.from(with("history.timeZone", "Asia/Seoul")).history().zone())
        .isEqualTo(java.time.ZoneId.of("Asia/Seoul"));
    assertThatThrownBy(() -> ChatConfig.from(with("history.timeZone", "Mars/Olympus")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("history.timeZone");
    assertThat(ChatConfig.from(with("history.replayLines", 101)).history().replayLines()).isEqualTo(100);
    ChatConfig.History off = ChatConfig.from(with("history.lines", 0)).history();
    assertThat(off.lines()).isZero();
    assertThat(off.replayLines()).isZero();
  }

  @Test
  void loadAppliesTheEnvironment(VertxTestContext ctx) {
    Map<String, String> env = Map.of("CHAT_TCP_PORT", "0", "CHAT_LOCALE", "en", "CHAT_LEGACY_FLUSH_MILLIS", "0",
        "CHAT_SHUTDOWN_GRACE_SECONDS", "5");

    ConfigLoader.load(vertx, env).onComplete(ctx.succeeding(config -> ctx.verify(() -> {
      assertThat(config.tcp().port()).isZero();
      assertThat(config.texts()).isEqualTo(Texts.EN);
      assertThat(config.legacy().flushMillis()).isZero();
      assertThat(config.shutdown().graceSeconds()).isEqualTo(5);
      ctx.completeNow();
    })));
  }

  @Test
  void loadFailsOnABadEnvironmentValueNamingTheKey(VertxTestContext ctx) {
    ConfigLoader.load(vertx, Map.of("CHAT_TCP_PORT", "70000")).onComplete(ctx.failing(error -> ctx.verify(() -> {
      assertThat(error).isInstanceOf(ConfigException.class).hasMessageStartingWith("tcp.port:");
      ctx.completeNow();
    })));
  }
}
