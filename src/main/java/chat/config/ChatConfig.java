package chat.config;

import chat.protocol.Texts;
import io.vertx.core.json.JsonObject;

/**
 * The whole configuration, typed and validated once at start.
 *
 * <p>Built from the merged tree of {@code application.yaml} and environment overrides (see {@link ConfigLoader}).
 */
public record ChatConfig(Tcp tcp, Http http, Texts texts, Legacy legacy, Limits limits, Shutdown shutdown) {

  /** {@code instances} 0 means one NetServerVerticle per event loop. */
  public record Tcp(String host, int port, int instances, int sendBufferBytes) {
  }

  public record Http(int port) {
  }

  public record Legacy(int flushMillis) {
  }

  public record Limits(int maxLineBytes, int sendQueueBytes) {
  }

  /** {@code graceSeconds}: from SIGTERM to exit, clients' notices and the cluster leave included. */
  public record Shutdown(int graceSeconds) {
  }

  public static ChatConfig from(JsonObject tree) {
    Reader in = new Reader(tree);
    return new ChatConfig(
        new Tcp(in.text("tcp.host"), in.port("tcp.port"), in.integer("tcp.instances", 0, 1024),
            in.integer("tcp.sendBufferBytes", 1024, 64 * 1024 * 1024)),
        new Http(in.port("http.port")),
        Texts.forLocale(in.text("locale"))
            .orElseThrow(() -> new ConfigException("locale", "must be ko or en, got '" + in.text("locale") + "'")),
        new Legacy(in.integer("legacy.flushMillis", 0, 60_000)),
        new Limits(in.integer("limits.maxLineBytes", 16, 16 * 1024 * 1024),
            in.integer("limits.sendQueueBytes", 1024, Integer.MAX_VALUE)),
        new Shutdown(in.integer("shutdown.graceSeconds", 1, 3600)));
  }

  /** Reads dotted keys out of the tree, naming the key in every complaint. */
  private record Reader(JsonObject tree) {

    Object value(String key) {
      JsonObject node = tree;
      String[] parts = key.split("\\.");
      for (int i = 0; i < parts.length - 1; i++) {
        Object child = node.getValue(parts[i]);
        if (!(child instanceof JsonObject object)) {
          throw new ConfigException(key, "missing");
        }
        node = object;
      }
      Object value = node.getValue(parts[parts.length - 1]);
      if (value == null) {
        throw new ConfigException(key, "missing");
      }
      return value;
    }

    String text(String key) {
      Object value = value(key);
      if (!(value instanceof String text) || text.isBlank()) {
        throw new ConfigException(key, "must be a non-empty string, got '" + value + "'");
      }
      return text;
    }

    int integer(String key, int min, int max) {
      Object value = value(key);
      if (!(value instanceof Number number) || number.doubleValue() != number.longValue()) {
        throw new ConfigException(key, "must be an integer, got '" + value + "'");
      }
      long n = number.longValue();
      if (n < min || n > max) {
        throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + n);
      }
      return (int) n;
    }

    int port(String key) {
      return integer(key, 0, 65535);
    }
  }
}
