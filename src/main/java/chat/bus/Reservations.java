package chat.bus;

import chat.core.Member;

/**
 * Cluster-wide name reservations: an {@code AsyncMap} from a name's key to the connection that holds it. The owner
 * starts with its node id, so that when a node dies the survivors free its names by that prefix.
 */
public final class Reservations {

  public static final String MAP = "chat.names";

  private Reservations() {
  }

  public static String owner(String nodeId, String instance, long connection) {
    return nodeId + "/" + instance + "/" + connection;
  }

  public static String owner(String nodeId, Member member) {
    return owner(nodeId, member.instance(), member.connection());
  }
}
