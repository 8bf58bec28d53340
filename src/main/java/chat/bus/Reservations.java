package chat.bus;

import chat.core.Member;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster-wide name reservations: an {@code AsyncMap} from a name's key to the connection that holds it. The owner
 * starts with its node id, so that when a node dies the survivors free its names by that prefix.
 *
 * <p>A node gives names out only while {@code granting} says so: a clustered node that is merging back into its
 * cluster has its share of the map reset and merged under it, and one that has just lost members may have lost names
 * its own users hold with them, until it has put them back; a name granted then could end up with two holders.
 */
public final class Reservations {

  public static final String MAP = "chat.names";

  private static final Logger log = LoggerFactory.getLogger(Reservations.class);

  private final AsyncMap<String, String> names;
  private final BooleanSupplier granting;

  private Reservations(AsyncMap<String, String> names, BooleanSupplier granting) {
    this.names = names;
    this.granting = granting;
  }

  /** This node's access to the reservations, giving names out while {@code granting} is true. */
  public static Future<Reservations> open(Vertx vertx, BooleanSupplier granting) {
    return vertx.sharedData().<String, String>getAsyncMap(MAP).map(map -> new Reservations(map, granting));
  }

  public static String owner(String nodeId, String instance, long connection) {
    return nodeId + "/" + instance + "/" + connection;
  }

  public static String owner(String nodeId, Member member) {
    return owner(nodeId, member.instance(), member.connection());
  }

  /**
   * Whether {@code owner} now holds the name {@code key}: exactly one of any number of simultaneous attempts wins. A
   * failed call (a cluster in trouble) counts as taken, and is logged; so does an attempt while this node is not
   * granting names.
   */
  public Future<Boolean> reserve(String key, String owner) {
    if (!granting.getAsBoolean()) {
      log.info("name refused to {}: this node's names are settling after a change of cluster membership", owner);
      return Future.succeededFuture(false);
    }
    return names.putIfAbsent(key, owner)
        .map(previous -> previous == null)
        .otherwise(e -> {
          log.warn("name reservation failed for {}: {}", owner, e.toString());
          return false;
        });
  }

  /** Gives the name back, if {@code owner} still holds it. */
  public void release(String key, String owner) {
    names.removeIfPresent(key, owner);
  }
}
