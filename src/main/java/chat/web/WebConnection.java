package chat.web;

import chat.bus.Reservations;
import chat.config.ChatConfig;
import chat.core.Command;
import chat.core.Effect;
import chat.core.Reply;
import chat.core.Request;
import chat.core.Session;
import chat.net.TokenBucket;
import chat.ops.ChatMetrics;
import chat.ops.ChatMetrics.InputRejection;
import chat.ops.ChatMetrics.Protocol;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One browser (or any WebSocket client): its messages feed its {@link Session}, whose effects this class performs as
 * {@code chat.net.Connection} does for a line client. Lives on its WebServerVerticle's event loop.
 *
 * <p>Input gate: messages go through in order, one flood-control token each (as lines do); while a name reservation is
 * pending, or while earlier messages wait for their tokens, later ones wait behind them. Past
 * {@code limits.floodQueueLines} waiting messages the client is closed. Once registered every answer takes the lane,
 * this class's own refusals included ({@link Reply.Refused}), so answers arrive in the order of the messages.
 */
final class WebConnection implements Effect.Handler<Void> {

  private static final Logger log = LoggerFactory.getLogger(WebConnection.class);

  static final short NORMAL = 1000;
  static final short GOING_AWAY = 1001;
  static final short POLICY = 1008;
  static final short TOO_BIG = 1009;

  private final WebServerVerticle server;
  private final ServerWebSocket socket;
  private final long id;
  private final String address;
  private final WebProtocol protocol;
  private final Session session;
  private final TokenBucket flood;
  private final int maxBytes;
  private final int floodQueue;
  private final long openedAt = System.nanoTime();
  private long lastInputAt = openedAt;
  private ArrayDeque<String> held;
  private long floodTimer = -1;
  private boolean stopped;
  private boolean slow;
  private boolean closed;
  private boolean left;
  /** The rooms this instance's index has this connection under. */
  final List<String> indexedRooms = new ArrayList<>(2);

  WebConnection(WebServerVerticle server, ServerWebSocket socket, long id, String address) {
    this.server = server;
    this.socket = socket;
    this.id = id;
    this.address = address;
    this.protocol = server.protocol();
    this.session = new Session(server.instanceId(), id, WebServerVerticle.FIRST_ROOM);
    ChatConfig.Limits limits = server.settings().limits();
    this.maxBytes = limits.maxLineBytes();
    this.floodQueue = limits.floodQueueLines();
    this.flood = limits.floodControl() ? new TokenBucket(limits.linesPerSecond(), limits.lineBurst(), openedAt) : null;
  }

  long id() {
    return id;
  }

  String address() {
    return address;
  }

  void start() {
    server.metrics().connectionOpened(Protocol.WEB);
    socket.setWriteQueueMaxSize(server.settings().limits().sendQueueBytes());
    socket.textMessageHandler(this::onMessage);
    socket.binaryMessageHandler(b -> onMessage(null));
    socket.closeHandler(v -> onClosed());
    socket.exceptionHandler(e -> log.debug("web connection {} from {}: {}", id, address, e.toString()));
    perform(session.start());
  }

  // Input, in order; null stands for a binary message, which this protocol does not have.

  private void onMessage(String text) {
    lastInputAt = System.nanoTime();
    if (stopped) {
      return;
    }
    if (text != null && text.length() > maxBytes / 3 && text.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
      log.info("message over {} bytes from {}, closing", maxBytes, address);
      server.metrics().inputRejected(Protocol.WEB, InputRejection.TOO_LONG);
      closeWith(protocol.error("too_large", "a message may have at most " + maxBytes + " bytes"), TOO_BIG,
          "message too large");
      return;
    }
    String message = text == null ? "" : text;
    if (held == null && !session.awaitingReservation() && (flood == null || flood.take(System.nanoTime()) == 0)) {
      handle(message);
      return;
    }
    if (held == null) {
      held = new ArrayDeque<>(4);
    }
    held.add(message);
    if (flood != null && held.size() > floodQueue + flood.available(System.nanoTime())) {
      log.info("flood from {}: over {} messages/s with {} waiting, disconnecting", address,
          server.settings().limits().linesPerSecond(), held.size());
      server.metrics().inputRejected(Protocol.WEB, InputRejection.FLOOD);
      closeWith(protocol.error("flood", "too many messages, slow down"), POLICY, "flooding");
      return;
    }
    release();
  }

  /** Lets waiting messages through in order, each when its token is due and no reservation is pending. */
  private void release() {
    while (held != null && !session.awaitingReservation() && floodTimer == -1 && !stopped) {
      if (held.isEmpty()) {
        held = null;
        break;
      }
      long wait = flood == null ? 0 : flood.take(System.nanoTime());
      if (wait > 0) {
        floodTimer = server.vertx().setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait + 999_999)), t -> {
          floodTimer = -1;
          release();
        });
        return;
      }
      handle(held.poll());
    }
    if (closed && !session.awaitingReservation()) {
      leave();
    }
  }

  private void handle(String message) {
    WebProtocol.Input input = protocol.parse(message);
    if (input instanceof WebProtocol.Register register) {
      if (session.registered()) {
        refuse("already_registered", "you are registered already; use nick to change your name");
      } else if (!session.closed()) {
        perform(session.register(register.name()));
      }
    } else if (input instanceof WebProtocol.ToSession toSession) {
      Command command = toSession.command();
      if (!session.registered() && !(command instanceof Command.Quit)) {
        refuse("not_registered", "register a name first");
      } else {
        perform(session.onCommand(command));
      }
    } else if (input instanceof WebProtocol.Ignored) {
      return;
    } else if (input instanceof WebProtocol.Refused refused) {
      if (refused.counted()) {
        server.metrics().inputRejected(Protocol.WEB, InputRejection.INVALID_MESSAGE);
      }
      refuse(refused.code(), refused.text());
    }
  }

  private void refuse(String code, String text) {
    answer(new Effect.Answer(new Reply.Refused(code, text)));
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
          boolean wasRegistered = session.registered();
          perform(session.onReserved(won));
          if (won && !wasRegistered && !closed) {
            // Nothing of this user was in flight before: the confirmation goes ahead of its join.
            send(protocol.registered(session.name()));
          }
          release();
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
    if (session.registered() && !closed && !session.closed()) {
      server.toRooms(new Request.Answer(session.key(), answer.reply()));
    } else {
      send(protocol.reply(answer.reply()));
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

  @Override
  public Void close(Effect.Close close) {
    stop();
    // A registered user's answers may still be in the lane: it closes when the rooms say it is gone (Event.Gone).
    if (!session.registered()) {
      gone();
    }
    return null;
  }

  /** The user quit and the lane has delivered everything before its leave. */
  void gone() {
    if (!closed) {
      socket.close(NORMAL, "bye");
    }
  }

  private String owner() {
    return Reservations.owner(server.nodeId(), server.instanceId(), id);
  }

  // Output.

  void send(JsonObject event) {
    write(event.encode());
  }

  /** One encoded event; a client whose unsent output passes {@code limits.sendQueueBytes} is dropped. */
  void write(String encoded) {
    if (closed || slow) {
      return;
    }
    socket.writeTextMessage(encoded);
    if (socket.writeQueueFull()) {
      // Past the send queue limit: nothing more is queued for a reader that does not read.
      slow = true;
      stop();
      server.metrics().slowConsumerDisconnected();
      log.warn("slow web consumer {} from {}: over {} bytes pending, disconnecting", session.name(), address,
          server.settings().limits().sendQueueBytes());
      socket.close(POLICY, "not reading");
    }
  }

  void reply(Reply reply) {
    send(protocol.reply(reply));
  }

  /** Its node is rejoining a cluster that already announced this user's leave. */
  void evict() {
    closeWith(protocol.notice("rejoining", "the server is rejoining its cluster, please reconnect"), GOING_AWAY,
        "rejoining cluster");
  }

  void shutDown() {
    closeWith(protocol.notice("shutting_down", "server shutting down, please reconnect"), GOING_AWAY,
        "server shutting down");
  }

  // Timeouts, checked by the instance's sweep.

  ChatMetrics.Timeout expired(long now, long registrationNanos, long idleNanos) {
    if (closed || stopped) {
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
    server.metrics().timedOut(reason);
    ChatConfig.Limits limits = server.settings().limits();
    closeWith(reason == ChatMetrics.Timeout.REGISTRATION
        ? protocol.notice("registration_timeout", "no name within " + limits.registrationTimeoutSeconds() + " s")
        : protocol.notice("idle_timeout", "silent for " + limits.idleTimeoutSeconds() + " s"), POLICY,
        reason == ChatMetrics.Timeout.REGISTRATION ? "registration timeout" : "idle timeout");
  }

  // Closing.

  private void closeWith(JsonObject last, short code, String reason) {
    if (closed || stopped) {
      return;
    }
    send(last);
    stop();
    socket.close(code, reason);
  }

  private void stop() {
    stopped = true;
    held = null;
    if (floodTimer != -1) {
      server.vertx().cancelTimer(floodTimer);
      floodTimer = -1;
    }
  }

  // The client is gone: once no reservation is pending, the user leaves its rooms and gives its name back.
  private void onClosed() {
    if (closed) {
      return;
    }
    closed = true;
    stop();
    server.metrics().connectionClosed(Protocol.WEB);
    server.forget(this);
    if (!session.awaitingReservation()) {
      leave();
    }
  }

  private void leave() {
    if (!left) {
      left = true;
      perform(session.onClosed());
    }
  }
}
