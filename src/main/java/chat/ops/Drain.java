package chat.ops;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The graceful drain, in this order: readiness goes down; the listeners stop accepting; every client gets a notice and a
 * clean close, so its room (on every node) hears it leave; Vert.x closes, which leaves the cluster. Clients get three
 * quarters of {@code shutdown.graceSeconds}, closing Vert.x the rest.
 */
public final class Drain {

  private static final Logger log = LoggerFactory.getLogger(Drain.class);

  private final Supplier<Future<Void>> closeNode;
  private final Readiness readiness;
  private final List<Listener> listeners;
  private final Duration grace;

  /** A front-end's listener: stops accepting, tells its clients and closes them within {@code timeout}. */
  public interface Listener {
    Future<Void> drain(Duration timeout);
  }

  /** {@code closeNode} closes Vert.x, leaving the cluster first when clustered; every front-end's listeners drain. */
  public Drain(Supplier<Future<Void>> closeNode, Readiness readiness, List<? extends Listener> listeners,
      Duration grace) {
    this.closeNode = closeNode;
    this.readiness = readiness;
    this.listeners = List.copyOf(listeners);
    this.grace = grace;
  }

  public Future<Void> run() {
    readiness.draining();
    log.info("shutdown begin: draining clients, grace {} s", grace.toSeconds());
    Duration forClients = grace.multipliedBy(3).dividedBy(4);
    List<Future<Void>> drains = new java.util.ArrayList<>();
    listeners.forEach(listener -> drains.add(listener.drain(forClients)));
    return Future.all(drains)
        .eventually(closeNode)
        .mapEmpty();
  }

  /**
   * Runs the drain when the JVM is asked to stop (SIGTERM, SIGINT), then halts: with status 0 when it completed
   * within the grace (the JVM would otherwise report 143 for SIGTERM), 1 when it did not. Nothing in this server
   * calls {@code System.exit} once it is serving, so the hook only ever runs for a signal.
   */
  public void onSignal() {
    Runtime.getRuntime().addShutdownHook(new Thread(this::runAndHalt, "chat-drain"));
  }

  private void runAndHalt() {
    long start = System.nanoTime();
    int status = 0;
    try {
      run().await(grace.toMillis(), TimeUnit.MILLISECONDS);
      log.info("shutdown end: drained in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    } catch (Exception e) {
      log.error("shutdown end: drain incomplete after {} ms: {}",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), e.toString());
      status = 1;
    }
    Runtime.getRuntime().halt(status);
  }
}
