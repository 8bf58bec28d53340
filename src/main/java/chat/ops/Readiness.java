package chat.ops;

import java.util.function.BooleanSupplier;

/**
 * Whether this node should get new clients: serving (listener bound, bus consumers registered), not draining, and the
 * cluster safe. Written by the main thread and the drain, read by the health check on an event loop: volatile.
 */
public final class Readiness {

  private volatile boolean serving;
  private volatile boolean draining;
  private volatile BooleanSupplier clusterSafe = () -> true;

  /** Every verticle is deployed: the listener is bound and the bus consumers are registered. */
  public void serving() {
    serving = true;
  }

  /** From here on the node is never ready again. */
  public void draining() {
    draining = true;
  }

  /** When clustered: e.g. {@code readiness.clusterSafety(clusterManager::isClusterSafe)}. Not clustered: always safe. */
  public void clusterSafety(BooleanSupplier check) {
    clusterSafe = check;
  }

  public boolean ready() {
    return why() == null;
  }

  /** Why the node is not ready, or null when it is. */
  public String why() {
    if (draining) {
      return "draining";
    }
    if (!serving) {
      return "starting";
    }
    if (!clusterSafe.getAsBoolean()) {
      return "cluster not safe";
    }
    return null;
  }
}
