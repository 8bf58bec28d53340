package chat.net;

import chat.bus.Reservations;
import chat.config.ChatConfig;
import chat.core.Effect;
import chat.core.InputText;
import chat.core.Reply;
import chat.core.Request;
import chat.core.Session;
import chat.line.LineCommands;
import chat.line.LineRenderer;
import chat.line.Texts;
import chat.ops.ChatMetrics;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line-protocol client: its input gate ({@link LineInput}) feeds its {@link Session}, whose effects this class
 * performs, and its output ({@link SocketOutput}) takes what the rooms send it. Lives on its NetServerVerticle's event
 * loop; nothing here is touched from another thread.
 *
 * <p>The lane: once registered, everything the client is answered goes through the node's rooms, its own replies
 * included ({@link Request.Answer}), so every answer arrives in the order of the lines that caused it. Before
 * registration nothing of the client's is in flight there, and answers are written at once.
 */
final class Connection implements LineInput.Target, Effect.Handler<Void> {

  private static final Logger log = LoggerFactory.getLogger(Connection.class);

  private final NetServerVerticle server;
  private final NetSocket socket;
  private final long id;
  private final String address;
  private final LineRenderer renderer;
  private final Session session;
  private final LineInput input;
  private final SocketOutput output;
  private final long openedAt;
  private long lastInputAt;
  private boolean closed;
  private boolean left;
  /** The rooms this instance's {@link LocalRooms} has this connection under. */
  final List<String> indexedRooms = new ArrayList<>(1);

  Connection(NetServerVerticle server, NetSocket socket, long id, String address) {
    this.server = server;
    this.socket = socket;
    this.id = id;
    this.address = address;
    ChatConfig config = server.settings();
    this.renderer = server.renderer();
    this.session = new Session(server.instanceId(), id, NetServerVerticle.FIRST_ROOM);
    this.input = new LineInput(server.vertx(), socket, config, this);
    this.output = new SocketOutput(server.vertx(), socket, config.limits().sendQueueBytes(), server.outbox(),
        this::slowConsumer);
    this.openedAt = System.nanoTime();
    this.lastInputAt = openedAt;
  }

  long id() {
    return id;
  }

  String address() {
    return address;
  }

  SocketOutput output() {
    return output;
  }

  void start() {
    server.metrics().connectionOpened();
    socket.handler(this::onData);
    socket.closeHandler(v -> onClosed());
    socket.shutdownHandler(v -> onShutdown());
    socket.exceptionHandler(e -> log.debug("connection {} from {}: {}", id, address, e.toString()));
    perform(session.start());
  }

  private void onData(Buffer data) {
    lastInputAt = System.nanoTime();
    input.feed(data);
  }

  // LineInput.Target: lines in order, held while a name reservation is pending.

  @Override
  public boolean blocked() {
    return session.awaitingReservation();
  }

  @Override
  public void line(byte[] bytes) {
    Optional<String> decoded = InputText.decode(bytes);
    if (decoded.isEmpty()) {
      server.metrics().inputRejected(ChatMetrics.InputRejection.INVALID_UTF8);
      perform(session.onInvalidUtf8());
      return;
    }
    perform(LineCommands.onLine(session, InputText.sanitize(decoded.get())));
  }

  @Override
  public void tooLong() {
    int max = server.settings().limits().maxLineBytes();
    log.info("line over {} bytes from {}, closing", max, address);
    server.metrics().inputRejected(ChatMetrics.InputRejection.TOO_LONG);
    closeWith(texts().lineTooLong(max));
  }

  @Override
  public void flooded(int waiting) {
    log.info("flood from {}: over {} lines/s with {} lines waiting, disconnecting", address,
        server.settings().limits().linesPerSecond(), waiting);
    server.metrics().inputRejected(ChatMetrics.InputRejection.FLOOD);
    closeWith(texts().flooding());
  }

  @Override
  public void drained() {
    if (!left) {
      left = true;
      perform(session.onClosed());
    }
  }

  // Effects of the session, in order.

  private void perform(List<Effect> effects) {
    for (Effect effect : effects) {
      effect.accept(this);
    }
  }

  @Override
  public Void reserve(Effect.Reserve reserve) {
    server.names().reserve(reserve.key(), owner())
        .onSuccess(won -> {
          perform(session.onReserved(won));
          input.release();
        });
    return null;
  }

  @Override
  public Void release(Effect.Release release) {
    server.names().release(release.key(), owner());
    return null;
  }

  @Override
  public Void toRooms(Effect.ToRooms toRooms) {
    server.toRooms(toRooms.request());
    return null;
  }

  @Override
  public Void answer(Effect.Answer answer) {
    if (session.registered() && !closed) {
      server.toRooms(new Request.Answer(session.key(), answer.reply()));
    } else {
      sendNow(renderer.reply(answer.reply()));
    }
    return null;
  }

  @Override
  public Void nameRefused(Effect.NameRefused refused) {
    server.metrics().nameRejected(refused.taken()
        ? ChatMetrics.NameRejection.TAKEN
        : ChatMetrics.NameRejection.INVALID);
    return null;
  }

  // A registered user's answers may still be in the lane: it closes when the rooms say it is gone (Event.Gone).
  @Override
  public Void close(Effect.Close close) {
    if (session.registered() && !closed) {
      input.stop();
    } else {
      closeAfterOutput();
    }
    return null;
  }

  private String owner() {
    return Reservations.owner(server.nodeId(), server.instanceId(), id);
  }

  // What the rooms send this connection alone.

  void reply(Reply reply) {
    sendNow(renderer.reply(reply));
  }

  /** The user quit and the lane has delivered everything before its leave. */
  void gone() {
    closeAfterOutput();
  }

  /** Its node is rejoining a cluster that already announced this user's leave: tell the client, then close. */
  void evict() {
    closeWith(renderer.evicted());
  }

  /** A line for this client alone, written now: its rooms' pending lines go first, so nothing overtakes them. */
  private void sendNow(String line) {
    for (int i = 0; i < indexedRooms.size(); i++) {
      server.outbox().release(indexedRooms.get(i));
    }
    output.write(Outbox.encode(line));
  }

  /** Takes ownership of {@code encoded}: a room's lines, from the outbox. */
  void write(ByteBuf encoded) {
    output.write(encoded);
  }

  // Timeouts, checked by the instance's sweep.

  /** The timeout this connection has run into by {@code now}, if any; a limit of 0 is off. */
  ChatMetrics.Timeout expired(long now, long registrationNanos, long idleNanos) {
    if (closed || output.closing()) {
      return null;
    }
    if (registrationNanos > 0 && !session.registered() && now - openedAt >= registrationNanos) {
      return ChatMetrics.Timeout.REGISTRATION;
    }
    if (idleNanos > 0 && now - lastInputAt >= idleNanos) {
      return ChatMetrics.Timeout.IDLE;
    }
    return null;
  }

  void timeOut(ChatMetrics.Timeout reason) {
    if (reason == null) {
      return;
    }
    server.metrics().timedOut(reason);
    log.debug("connection {} from {}: {} timeout, closing", id, address, reason);
    ChatConfig.Limits limits = server.settings().limits();
    closeWith(reason == ChatMetrics.Timeout.REGISTRATION
        ? texts().registrationTimeout(limits.registrationTimeoutSeconds())
        : texts().idleTimeout(limits.idleTimeoutSeconds()));
  }

  // Closing.

  private void slowConsumer() {
    input.stop();
    server.metrics().slowConsumerDisconnected();
    log.warn("slow consumer {} from {}: over {} bytes pending, disconnecting", session.name(), address,
        server.settings().limits().sendQueueBytes());
  }

  // The node is draining: the client hears why, then a clean close that takes the normal leave path.
  private void onShutdown() {
    closeWith(texts().shuttingDown());
  }

  private void closeWith(String notice) {
    sendNow(notice);
    closeAfterOutput();
  }

  private void closeAfterOutput() {
    input.stop();
    output.closeAfterOutput();
  }

  // The client is gone: an unfinished line still counts, then the user leaves once every held line is through.
  private void onClosed() {
    if (closed) {
      return;
    }
    closed = true;
    output.closed();
    server.metrics().connectionClosed();
    server.forget(this);
    input.closed();
  }

  private Texts texts() {
    return renderer.texts();
  }
}
