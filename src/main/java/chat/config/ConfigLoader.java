package chat.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the configuration in one place: the defaults shipped in the jar ({@code application.yaml}), then
 * {@code config/application.yaml} under the working directory if present, then environment variables named
 * {@code CHAT_} + the key in upper snake case ({@code limits.maxLineBytes} → {@code CHAT_LIMITS_MAX_LINE_BYTES}).
 */
public final class ConfigLoader {

  public static final String DEFAULTS_RESOURCE = "application.yaml";
  public static final String OVERRIDE_FILE = "config/application.yaml";

  private ConfigLoader() {
  }

  public static Future<ChatConfig> load(Vertx vertx, Map<String, String> env) {
    ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions()
        .setScanPeriod(0)
        .addStore(yaml(DEFAULTS_RESOURCE, false))
        .addStore(yaml(OVERRIDE_FILE, true)));
    return retriever.getConfig()
        .eventually(retriever::close)
        .map(tree -> ChatConfig.from(withEnvironment(tree, env)));
  }

  /** The tree with every leaf replaced by its environment variable when one is set; values keep the leaf's type. */
  public static JsonObject withEnvironment(JsonObject tree, Map<String, String> env) {
    return overlay(tree, "", env);
  }

  public static String envName(String key) {
    return "CHAT_" + key.replace(".", "_").replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  private static JsonObject overlay(JsonObject node, String prefix, Map<String, String> env) {
    JsonObject result = new JsonObject();
    for (String field : node.fieldNames()) {
      String key = prefix + field;
      Object value = node.getValue(field);
      if (value instanceof JsonObject child) {
        result.put(field, overlay(child, key + ".", env));
      } else {
        String override = env.get(envName(key));
        result.put(field, override == null ? value : parse(key, override, value));
      }
    }
    return result;
  }

  private static Object parse(String key, String raw, Object like) {
    String text = raw.strip();
    if (like instanceof Number) {
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw new ConfigException(key, envName(key) + " must be an integer, got '" + raw + "'");
      }
    }
    if (like instanceof Boolean) {
      if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
        throw new ConfigException(key, envName(key) + " must be true or false, got '" + raw + "'");
      }
      return Boolean.parseBoolean(text);
    }
    return text;
  }

  private static ConfigStoreOptions yaml(String path, boolean optional) {
    return new ConfigStoreOptions()
        .setType("file")
        .setFormat("yaml")
        .setOptional(optional)
        .setConfig(new JsonObject().put("path", path));
  }
}
