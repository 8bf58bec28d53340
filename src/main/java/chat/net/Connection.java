package chat.net;

import chat.bus.Member;
import chat.bus.RoomEvent;
import chat.bus.RoomRequest;
import chat.config.ChatConfig;
import chat.ops.ChatMetrics;
import chat.protocol.InputText;
import chat.protocol.LineFramer;
import chat.protocol.Texts;
import chat.session.Effect;
import chat.session.Session;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client socket: frames and decodes its input, runs its {@link Session}, performs the session's effects and
 * writes its output. Lives on its NetServerVerticle's event loop; nothing here is touched from another thread.
 *
 * <p>Output goes straight to the Netty channel without a flush; the instance's {@link Outbox} flushes once per
 * event-loop iteration (or sooner, past {@link #FLUSH_THRESHOLD_BYTES}). Netty counts every byte not yet taken by the
 * kernel against the channel's high-water mark, set to {@code limits.sendQueueBytes}: a client past it is closed at
 * once with its queue dropped, since a graceful close would wait for a reader that never reads.
 *
 * <p>Flood control meters every framed line, commands and name attempts included, through a {@link TokenBucket}: a
 * line over the rate is held and released when its token is due; past {@code limits.floodQueueLines} held lines the
 * client is told and disconnected, and its held lines are dropped. Reading goes on while lines wait for tokens, since a
 * paused socket would leave the backlog in the kernel where the queue bound never sees it; what is held stays bounded
 * by that bound times {@code limits.maxLineBytes}. Reading pauses only while a name reservation is pending.
 */
final class Connection implements LineFramer.Sink {

  private static final Logger log = LoggerFactory.getLogger(Connection.class);

  private static final long CLOSE_GRACE_MILLIS = 5_000;
  /**
   * Unflushed bytes after which a connection is flushed at once instead of at the end of the turn: a turn can hold
   * thousands of room events, and output that never reaches the kernel would count against the send queue limit.
   */
  private static final int FLUSH_THRESHOLD_BYTES = 16 * 1024;

  private final NetServerVerticle server;
  private final NetSocketInternal socket;
  private final ChannelHandlerContext channel;
  private final long id;
  private final Texts texts;
  private final LineFramer framer;
  private final Session session;
  private final int flushMillis;
  private final String address;
  private final TokenBucket flood;
  private final long openedAt;
  private long lastInputAt;
  private ArrayDeque<byte[]> heldLines;
  private long flushTimer = -1;
  private long floodTimer = -1;
  private boolean paused;
  private boolean closed;
  private boolean outputClosed;
  private boolean left;
  private int unflushedBytes;
  /** The room this instance's {@link LocalRooms} has this connection under, if any. */
  String indexedRoom;

  Connection(NetServerVerticle server, NetSocketInternal socket, long id, String address) {
    this.server = server;
    this.socket = socket;
    this.channel = socket.channelHandlerContext();
    this.id = id;
    this.texts = server.settings().texts();
    this.framer = new LineFramer(server.settings().limits().maxLineBytes());
    this.session = new Session(texts);
    this.flushMillis = server.settings().legacy().flushMillis();
    this.address = address;
    this.openedAt = System.nanoTime();
    this.lastInputAt = openedAt;
    ChatConfig.Limits limits = server.settings().limits();
    this.flood = limits.floodControl() ? new TokenBucket(limits.linesPerSecond(), limits.lineBurst(), openedAt) : null;
  }

  long id() {
    return id;
  }

  String address() {
    return address;
  }

  void start() {
    server.metrics().connectionOpened();
    socket.setWriteQueueMaxSize(server.settings().limits().sendQueueBytes());
    socket.handler(this::onData);
    socket.closeHandler(v -> onClosed());
    socket.shutdownHandler(v -> onShutdown());
    socket.exceptionHandler(e -> log.debug("connection {} from {}: {}", id, socket.remoteAddress(), e.toString()));
    perform(session.start());
  }

  // Input: bytes -> framer -> lines, held back while the session awaits a name reservation.

  private void onData(Buffer data) {
    lastInputAt = System.nanoTime();
    framer.feed(data.getBytes(), this);
    armLegacyFlush();
  }

  @Override
  public void line(byte[] line) {
    if (outputClosed) {
      return;
    }
    if (heldLines == null && !session.awaitingReservation() && (flood == null || flood.take(System.nanoTime()) == 0)) {
      process(line);
      return;
    }
    hold(line);
    if (flood != null && heldLines.size() > server.settings().limits().floodQueueLines() + flood.available(System.nanoTime())) {
      flooded();
    } else {
      releaseHeldLines();
    }
  }

  private void flooded() {
    log.info("flood from {}: over {} lines/s with {} lines waiting, disconnecting", socket.remoteAddress(),
        server.settings().limits().linesPerSecond(), heldLines.size());
    server.metrics().inputRejected(ChatMetrics.InputRejection.FLOOD);
    heldLines = null;
    cancelFloodTimer();
    sendNow(texts.flooding());
    closeAfterOutput();
  }

  @Override
  public void tooLong() {
    log.info("line over {} bytes from {}, closing", server.settings().limits().maxLineBytes(), socket.remoteAddress());
    server.metrics().inputRejected(ChatMetrics.InputRejection.TOO_LONG);
    sendNow(texts.lineTooLong(server.settings().limits().maxLineBytes()));
    closeAfterOutput();
  }

  private void armLegacyFlush() {
    if (flushMillis == 0) {
      return;
    }
    cancelFlushTimer();
    if (framer.hasPartial() && !closed) {
      flushTimer = server.vertx().setTimer(flushMillis, t -> {
        flushTimer = -1;
        if (framer.hasPartial()) {
          line(framer.takePartial());
        }
      });
    }
  }

  private void hold(byte[] line) {
    if (heldLines == null) {
      heldLines = new ArrayDeque<>(4);
    }
    heldLines.add(line);
    if (!paused && session.awaitingReservation()) {
      paused = true;
      socket.pause();
    }
  }

  // Held lines go out in order once no reservation is pending, each when its token is due.
  private void releaseHeldLines() {
    while (heldLines != null && !session.awaitingReservation() && floodTimer == -1) {
      if (heldLines.isEmpty()) {
        heldLines = null;
        break;
      }
      long wait = flood == null ? 0 : flood.take(System.nanoTime());
      if (wait > 0) {
        floodTimer = server.vertx().setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait + 999_999)), t -> {
          floodTimer = -1;
          releaseHeldLines();
        });
        break;
      }
      process(heldLines.poll());
    }
    if (paused && !session.awaitingReservation()) {
      paused = false;
      if (!outputClosed) {
        socket.resume();
      }
    }
    if (closed && heldLines == null && !session.awaitingReservation()) {
      leave();
    }
  }

  private void cancelFlushTimer() {
    if (flushTimer != -1) {
      server.vertx().cancelTimer(flushTimer);
      flushTimer = -1;
    }
  }

  private void cancelFloodTimer() {
    if (floodTimer != -1) {
      server.vertx().cancelTimer(floodTimer);
      floodTimer = -1;
    }
  }

  // Timeouts, checked by the instance's sweep.

  /** The timeout this connection has run into by {@code now}, if any; a limit of 0 is off. */
  ChatMetrics.Timeout expired(long now, long registrationNanos, long idleNanos) {
    if (closed || outputClosed) {
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
    if (reason == null || closed || outputClosed) {
      return;
    }
    server.metrics().timedOut(reason);
    log.debug("connection {} from {}: {} timeout, closing", id, socket.remoteAddress(), reason);
    ChatConfig.Limits limits = server.settings().limits();
    sendNow(reason == ChatMetrics.Timeout.REGISTRATION
        ? texts.registrationTimeout(limits.registrationTimeoutSeconds())
        : texts.idleTimeout(limits.idleTimeoutSeconds()));
    closeAfterOutput();
  }

  private void process(byte[] bytes) {
    Optional<String> text = InputText.decode(bytes);
    if (text.isEmpty()) {
      server.metrics().inputRejected(ChatMetrics.InputRejection.INVALID_UTF8);
      perform(session.onInvalidUtf8());
      return;
    }
    perform(session.onLine(InputText.sanitize(text.get())));
  }

  // Effects.

  private void perform(List<Effect> effects) {
    for (Effect effect : effects) {
      perform(effect);
    }
  }

  private void perform(Effect effect) {
    if (effect instanceof Effect.Send send) {
      send(send.line());
    } else if (effect instanceof Effect.Reserve reserve) {
      reserve(reserve.key());
    } else if (effect instanceof Effect.Release release) {
      server.names().removeIfPresent(release.key(), owner());
    } else if (effect instanceof Effect.Enter enter) {
      server.metrics().userRegistered();
      server.toRooms(new RoomRequest.Enter(new Member(enter.name(), enter.key(), server.instanceId(), id), enter.room()));
    } else if (effect instanceof Effect.Leave leave) {
      server.metrics().userLeft();
      server.toRooms(new RoomRequest.Leave(leave.key()));
    } else if (effect instanceof Effect.Move move) {
      server.toRooms(new RoomRequest.Move(move.key(), move.room()));
    } else if (effect instanceof Effect.Say say) {
      server.metrics().messageReceived();
      server.toRooms(new RoomRequest.Say(say.key(), say.text(), RoomEvent.nowMicros()));
    } else if (effect instanceof Effect.Act act) {
      server.metrics().messageReceived();
      server.toRooms(new RoomRequest.Act(act.key(), act.text(), RoomEvent.nowMicros()));
    } else if (effect instanceof Effect.Rename rename) {
      server.toRooms(new RoomRequest.Rename(rename.oldKey(), rename.newName(), rename.newKey()));
    } else if (effect instanceof Effect.Whisper whisper) {
      server.metrics().messageReceived();
      whisper(whisper);
    } else if (effect instanceof Effect.NameRefused refused) {
      server.metrics().nameRejected(refused.taken()
          ? ChatMetrics.NameRejection.TAKEN
          : ChatMetrics.NameRejection.INVALID);
    } else if (effect instanceof Effect.AskWho who) {
      server.askRooms(new RoomRequest.Who(who.room()))
          .onSuccess(reply -> send(texts.who(who.room(), names(reply))));
    } else if (effect instanceof Effect.AskRooms) {
      server.askRooms(new RoomRequest.Rooms())
          .onSuccess(reply -> send(texts.rooms(counts(reply.getJsonObject("rooms")))));
    } else if (effect instanceof Effect.Close) {
      closeAfterOutput();
    }
  }

  private void reserve(String key) {
    server.names().putIfAbsent(key, owner())
        .map(previous -> previous == null)
        .otherwise(e -> {
          log.warn("name reservation failed for connection {}: {}", id, e.toString());
          return false;
        })
        .onSuccess(won -> {
          perform(session.onReserved(won));
          releaseHeldLines();
        });
  }

  private void whisper(Effect.Whisper whisper) {
    server.askRooms(new RoomRequest.Whisper(whisper.fromKey(), whisper.toKey(), whisper.text()))
        .onSuccess(reply -> send(texts.whispered(whisper.fromName(), reply.getString("to"), whisper.text())))
        .onFailure(e -> send(texts.noSuchUser(whisper.toAsTyped())));
  }

  private static Map<String, Integer> counts(JsonObject rooms) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    rooms.forEach(e -> counts.put(e.getKey(), ((Number) e.getValue()).intValue()));
    return counts;
  }

  private static List<String> names(JsonObject reply) {
    return reply.getJsonArray("names").stream().map(String::valueOf).toList();
  }

  // nodeId first: when a node dies, the survivors free its names by this prefix.
  private String owner() {
    return server.nodeId() + "/" + server.instanceId() + "/" + id;
  }

  // Output.

  /** A line for this client, after everything its earlier lines caused in its room. */
  private void send(String line) {
    if (session.registered() && !closed) {
      server.toRooms(new RoomRequest.Direct(server.instanceId(), id, line));
    } else {
      sendNow(line);
    }
  }

  /** A line for this client alone, written now: its room's pending lines go first, so nothing overtakes them. */
  void sendNow(String line) {
    if (indexedRoom != null) {
      server.outbox().release(indexedRoom);
    }
    write(Outbox.encode(line));
  }

  /** Takes ownership of {@code encoded}. */
  void write(ByteBuf encoded) {
    if (closed || outputClosed) {
      encoded.release();
      return;
    }
    if (unflushedBytes == 0) {
      server.outbox().markDirty(this);
    }
    unflushedBytes += encoded.readableBytes();
    channel.write(encoded, channel.voidPromise());
    if (unflushedBytes >= FLUSH_THRESHOLD_BYTES) {
      flush();
    }
    // A closed channel is not writable either, and is no slow consumer.
    if (!channel.channel().isWritable() && channel.channel().isActive()) {
      outputClosed = true;
      server.metrics().slowConsumerDisconnected();
      log.warn("slow consumer {} from {}: over {} bytes pending, disconnecting", session.name(),
          socket.remoteAddress(), server.settings().limits().sendQueueBytes());
      closeNow();
    }
  }

  /** Its node is rejoining a cluster that already announced this user's leave: tell the client, then close. */
  void evict(String notice) {
    sendNow(notice);
    closeAfterOutput();
  }

  void flush() {
    if (unflushedBytes > 0 && !closed) {
      unflushedBytes = 0;
      channel.flush();
    }
  }

  // A client that stops reading must not keep a closing connection open: past the grace, close regardless.
  private void closeAfterOutput() {
    if (!closed && !outputClosed) {
      outputClosed = true;
      channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      server.vertx().setTimer(CLOSE_GRACE_MILLIS, t -> closeNow());
    }
  }

  // Closing from this handler's context starts below Vert.x's own handler, whose close would first wait for the
  // queued output to be written; the channel's pending writes are failed and released instead.
  private void closeNow() {
    channel.close();
  }

  // The node is draining: the client hears why, then a clean close that takes the normal leave path.
  private void onShutdown() {
    sendNow(texts.shuttingDown());
    closeAfterOutput();
  }

  // Closing: an unfinished line still counts, then the user leaves once every held line is processed.

  private void onClosed() {
    if (closed) {
      return;
    }
    closed = true;
    server.metrics().connectionClosed();
    cancelFlushTimer();
    if (framer.hasPartial()) {
      line(framer.takePartial());
    }
    server.forget(this);
    if (heldLines == null && !session.awaitingReservation()) {
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
