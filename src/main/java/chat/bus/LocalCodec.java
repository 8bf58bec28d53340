package chat.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Carries an immutable record between verticles of one node as itself: no JSON copy, no encoding. The default JSON
 * codec copies a JsonObject on every local delivery, and encoding and decoding cost more than the fan-out work on the
 * hot path (measured with JFR on a 100-member room). These records never cross the wire: what goes between nodes is
 * a {@link ClusterEvent}.
 */
public final class LocalCodec<T> implements MessageCodec<T, T> {

  /** How the records travel: local delivery only. */
  public static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final String name;

  private LocalCodec(Class<T> type) {
    this.name = "chat.local." + type.getSimpleName();
  }

  /** Makes {@link Requests} and {@link Events} travel as records on {@code bus}. */
  public static void register(EventBus bus) {
    bus.registerDefaultCodec(Requests.class, new LocalCodec<>(Requests.class));
    bus.registerDefaultCodec(Events.class, new LocalCodec<>(Events.class));
  }

  @Override
  public void encodeToWire(Buffer buffer, T body) {
    throw new IllegalStateException(name + " is local to a node and has no wire form");
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    throw new IllegalStateException(name + " is local to a node and has no wire form");
  }

  // Records are immutable: the receiver may share the sender's instance.
  @Override
  public T transform(T body) {
    return body;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
