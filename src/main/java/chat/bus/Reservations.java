package chat.bus;

import chat.core.Member;
import io.vertx.core.Future;
import io.vertx.core.shareddata.AsyncMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster-wide name reservations: an {@code AsyncMap} from a name's key to the connection that holds it. The owner
 * starts with its node id, so that when a node dies the survivors free its names by that prefix.
 */
public final class Reservations {

  public static final String MAP = "chat.names";

  private static final Logger log = LoggerFactory.getLogger(Reservations.class);

  private Reservations() {
  }

  public static String owner(String nodeId, String instance, long connection) {
    return nodeId + "/" + instance + "/" + connection;
  }

  public static String owner(String nodeId, Member member) {
    return owner(nodeId, member.instance(), member.connection());
  }

  /**
   * Whether {@code owner} now holds the name {@code key}: exactly one of any number of simultaneous attempts wins. A
   * failed call (a cluster in trouble) counts as taken, and is logged.
   */
  public static Future<Boolean> reserve(AsyncMap<String, String> names, String key, String owner) {
    return names.putIfAbsent(key, owner)
        .map(previous -> previous == null)
        .otherwise(e -> {
          log.warn("name reservation failed for {}: {}", owner, e.toString());
          return false;
        });
  }

  /** Gives the name back, if {@code owner} still holds it. */
  public static void release(AsyncMap<String, String> names, String key, String owner) {
    names.removeIfPresent(key, owner);
  }
}
