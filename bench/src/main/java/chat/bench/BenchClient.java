package chat.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.util.ByteProcessor;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One simulated chat user. Everything here runs on the connection's event loop.
 *
 * <p>Frames lines itself and parses measured messages in place, without decoding them to strings. A measured
 * message's text is {@code @<sender> <seq> <sendNanos>[ <padding>]}; a barrier message's is {@code #sync}; the
 * {@link Protocol} wraps the text on the wire ({@code [name] @...} on the line protocol, {@code PRIVMSG #chan :@...}
 * on IRC). Per sender, sequence numbers must arrive as 0, 1, 2...: a jump records the skipped numbers as missing
 * (rare, so kept in a set only when it happens), a number below the next one is either a late missing one
 * (reordered) or a duplicate.
 *
 * <p>In a closed loop a sender counts a message as seen when it gets it back; on a protocol that does not echo a
 * sender's own messages, one other member of the room (its witness) tells it instead.
 */
final class BenchClient extends ChannelInboundHandlerAdapter {

  private static final byte[] TAKEN_KO = "등록된 사용자".getBytes(StandardCharsets.UTF_8);
  private static final byte[] TAKEN_EN = "name taken".getBytes(StandardCharsets.UTF_8);
  private static final byte[] SYNC = "#sync".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] IRC_WELCOME = "001".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] IRC_NICK_IN_USE = "433".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] IRC_BAD_NICK = "432".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] IRC_JOIN = "JOIN".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] IRC_PING = "PING".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] IRC_PONG = "PONG".getBytes(StandardCharsets.US_ASCII);

  /** Line protocol: ID, name, own join line, own room join; IRC: welcome (001), own JOIN. */
  private enum State { AWAIT_ID, AWAIT_JOIN, AWAIT_WELCOME, AWAIT_ROOM, READY }

  final CompletableFuture<BenchClient> ready = new CompletableFuture<>();
  final CompletableFuture<Void> synced = new CompletableFuture<>();
  private final int index;
  private final Protocol protocol;
  private final byte[] name;
  private final String channel;
  private final byte[] channelBytes;
  private final EventLoop loop;
  private final LoopStats stats;
  private final long connectStartNanos;
  private ChannelHandlerContext ctx;
  private State state = State.AWAIT_ID;
  private ByteBuf pending;

  private Plan plan;
  private int senderId = -1;
  private int deliveriesPerMessage;
  private BenchClient[] witnessed;
  private int[] nextSeq;
  private Set<Long> missing;
  private long seq;
  private long unseen;
  private long nextIntended;
  private boolean closing;
  private boolean unflushed;
  private boolean flushQueued;
  private final Runnable openLoopTick = this::openLoopTick;
  private final Runnable acknowledged = this::acknowledged;
  private final Runnable queuedFlush = this::queuedFlush;
  private final Fields fields = new Fields();

  BenchClient(int index, Protocol protocol, String name, String room, EventLoop loop, LoopStats stats) {
    this.index = index;
    this.protocol = protocol;
    this.name = name.getBytes(StandardCharsets.UTF_8);
    this.loop = loop;
    this.channel = protocol.channel(room);
    this.channelBytes = channel == null ? null : channel.getBytes(StandardCharsets.UTF_8);
    this.stats = stats;
    this.connectStartNanos = System.nanoTime();
  }

  /**
   * Prepares for measured traffic; {@code senderId} is -1 for a pure receiver, {@code deliveriesPerMessage} what
   * one of its messages makes in its room. {@code witnessed}, indexed by sender id, holds the senders that this
   * client acknowledges in a closed loop (null entries for the others; null when the protocol echoes).
   */
  void arm(Plan plan, int senderId, int deliveriesPerMessage, BenchClient[] witnessed) {
    this.plan = plan;
    this.senderId = senderId;
    this.deliveriesPerMessage = deliveriesPerMessage;
    this.witnessed = witnessed;
    this.nextSeq = new int[plan.senders()];
  }

  void startSending() {
    if (plan.openLoop()) {
      nextIntended = plan.sendStart() + (long) senderId * plan.intervalNanos() / plan.senders();
      openLoopTick();
    } else {
      sendWhileWindowOpen(plan.now());
      ctx.flush();
    }
  }

  int index() {
    return index;
  }

  EventLoop loop() {
    return loop;
  }

  void onLoop(Runnable task) {
    loop.execute(task);
  }

  void sendSync() {
    ByteBuf out = ctx.alloc().buffer(64);
    protocol.writeMessageStart(out, channelBytes);
    ctx.writeAndFlush(out.writeBytes(SYNC).writeBytes(protocol.lineEnd()), ctx.voidPromise());
  }

  void close() {
    closing = true;
    if (ctx != null) {
      ctx.close();
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /** An IRC client speaks first; a line-protocol client waits for the server's {@code ID}. */
  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (protocol == Protocol.IRC) {
      String nick = new String(name, StandardCharsets.UTF_8);
      writeLine(("NICK " + nick + "\r\nUSER " + nick + " 0 * :" + nick).getBytes(StandardCharsets.UTF_8));
      state = State.AWAIT_WELCOME;
    }
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!closing) {
      stats.disconnects++;
    }
    if (!ready.isDone()) {
      ready.completeExceptionally(new IllegalStateException("connection closed during registration"));
    }
    if (pending != null) {
      pending.release();
      pending = null;
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ready.completeExceptionally(cause);
    ctx.close();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    long now = plan == null ? 0 : plan.now();
    ByteBuf in = (ByteBuf) msg;
    ByteBuf buf = in;
    if (pending != null) {
      pending.writeBytes(in);
      in.release();
      buf = pending;
    }
    int eol;
    while ((eol = buf.forEachByte(buf.readerIndex(), buf.readableBytes(), ByteProcessor.FIND_LF)) >= 0) {
      int end = eol > buf.readerIndex() && buf.getByte(eol - 1) == '\r' ? eol - 1 : eol;
      onLine(buf, buf.readerIndex(), end, now);
      buf.readerIndex(eol + 1);
    }
    if (buf == pending) {
      if (!pending.isReadable()) {
        pending.release();
        pending = null;
      } else {
        pending.discardReadBytes();
      }
    } else if (in.isReadable()) {
      pending = ctx.alloc().buffer(Math.max(512, in.readableBytes() * 2));
      pending.writeBytes(in);
      in.release();
    } else {
      in.release();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (unflushed) {
      unflushed = false;
      ctx.flush();
    }
  }

  private void onLine(ByteBuf buf, int from, int to, long now) {
    if (protocol == Protocol.IRC && answeredPing(buf, from, to)) {
      return;
    }
    switch (state) {
      case READY -> onChatLine(buf, from, to, now);
      case AWAIT_ID -> {
        if (to - from == 2 && buf.getByte(from) == 'I' && buf.getByte(from + 1) == 'D') {
          writeLine(name);
          state = State.AWAIT_JOIN;
        }
      }
      case AWAIT_JOIN -> {
        if (startsWithOwnName(buf, from, to)) {
          if (channel == null) {
            becomeReady();
          } else {
            writeLine(("/join " + channel).getBytes(StandardCharsets.UTF_8));
            state = State.AWAIT_ROOM;
          }
        } else if (equalsBytes(buf, from, to, TAKEN_KO) || equalsBytes(buf, from, to, TAKEN_EN)) {
          refused("name taken");
        }
      }
      case AWAIT_WELCOME -> {
        int command = IrcLine.commandStart(buf, from, to);
        if (command < 0) {
          return;
        }
        if (IrcLine.is(buf, command, to, IRC_WELCOME)) {
          writeLine(("JOIN " + channel).getBytes(StandardCharsets.UTF_8));
          state = State.AWAIT_ROOM;
        } else if (IrcLine.is(buf, command, to, IRC_NICK_IN_USE) || IrcLine.is(buf, command, to, IRC_BAD_NICK)) {
          refused("nick refused (" + buf.toString(command, 3, StandardCharsets.US_ASCII) + ")");
        }
      }
      case AWAIT_ROOM -> {
        if (protocol == Protocol.IRC ? isOwnJoin(buf, from, to) : startsWithOwnName(buf, from, to)) {
          becomeReady();
        }
      }
    }
  }

  private void refused(String why) {
    ready.completeExceptionally(new IllegalStateException(why + ": " + new String(name, StandardCharsets.UTF_8)));
    close();
  }

  private boolean isOwnJoin(ByteBuf buf, int from, int to) {
    int command = IrcLine.commandStart(buf, from, to);
    return command >= 0 && IrcLine.is(buf, command, to, IRC_JOIN) && IrcLine.isFrom(buf, from, to, name);
  }

  /** Answers a server's {@code PING token} with {@code PONG token}, in any state; false for any other line. */
  private boolean answeredPing(ByteBuf buf, int from, int to) {
    int command = IrcLine.commandStart(buf, from, to);
    if (command < 0 || !IrcLine.is(buf, command, to, IRC_PING)) {
      return false;
    }
    int params = command + IRC_PING.length;
    ByteBuf out = ctx.alloc().buffer(IRC_PONG.length + to - params + 2);
    out.writeBytes(IRC_PONG).writeBytes(buf, params, to - params).writeBytes(protocol.lineEnd());
    ctx.writeAndFlush(out, ctx.voidPromise());
    return true;
  }

  private void becomeReady() {
    state = State.READY;
    stats.registered++;
    stats.registration.recordValue(System.nanoTime() - connectStartNanos);
    ready.complete(this);
  }

  private void onChatLine(ByteBuf buf, int from, int to, long now) {
    int body = protocol.bodyStart(buf, from, to);
    if (body < 0) {
      stats.otherLines++;
      return;
    }
    byte kind = buf.getByte(body);
    if (kind == '@' && plan != null) {
      onMeasured(buf, body + 1, to, now);
    } else if (kind == '#') {
      synced.complete(null);
    } else {
      stats.otherLines++;
    }
  }

  private void onMeasured(ByteBuf buf, int i, int to, long now) {
    fields.reset();
    buf.forEachByte(i, to - i, fields);
    long sender = fields.values[0];
    long msgSeq = fields.values[1];
    long sentAt = fields.values[2];
    if (sender < 0 || sender >= nextSeq.length) {
      stats.otherLines++;
      return;
    }
    int s = (int) sender;
    if (!countDelivery(s, (int) msgSeq)) {
      return;
    }
    if (plan.inWindow(sentAt)) {
      stats.latency.recordValue(Math.max(0, now - sentAt));
    }
    if (plan.inWindow(now)) {
      stats.deliveriesInWindow++;
    }
    if (plan.openLoop()) {
      return;
    }
    if (s == senderId) {
      unseen--;
      sendWhileWindowOpen(now);
      unflushed = true;
    } else if (witnessed != null && witnessed[s] != null) {
      BenchClient acked = witnessed[s];
      if (acked.loop == loop) {
        acked.acknowledged();
      } else {
        acked.loop.execute(acked.acknowledged);
      }
    }
  }

  /** Its witness saw one of this sender's messages: one more may go. Flushed once the loop's reads are done. */
  private void acknowledged() {
    unseen--;
    sendWhileWindowOpen(plan.now());
    if (!flushQueued) {
      flushQueued = true;
      loop.execute(queuedFlush);
    }
  }

  private void queuedFlush() {
    flushQueued = false;
    ctx.flush();
  }

  /** Returns true for a first delivery, false for a duplicate. */
  private boolean countDelivery(int sender, int msgSeq) {
    int next = nextSeq[sender];
    if (msgSeq == next) {
      nextSeq[sender] = next + 1;
    } else if (msgSeq > next) {
      if (missing == null) {
        missing = new HashSet<>();
      }
      for (int k = next; k < msgSeq; k++) {
        missing.add(key(sender, k));
      }
      nextSeq[sender] = msgSeq + 1;
      stats.reordered++;
    } else if (missing != null && missing.remove(key(sender, msgSeq))) {
      stats.reordered++;
    } else {
      stats.duplicated++;
      return false;
    }
    stats.unique++;
    return true;
  }

  private static long key(int sender, int msgSeq) {
    return ((long) sender << 32) | msgSeq;
  }

  private void sendWhileWindowOpen(long now) {
    while (unseen < plan.window() && now < plan.measureEnd()) {
      sendMeasured(now);
      unseen++;
    }
  }

  private void openLoopTick() {
    long now = plan.now();
    boolean wrote = false;
    while (nextIntended <= now && nextIntended < plan.measureEnd()) {
      sendMeasured(nextIntended);
      nextIntended += plan.intervalNanos();
      wrote = true;
    }
    if (wrote) {
      ctx.flush();
    }
    if (nextIntended < plan.measureEnd() && ctx.channel().isActive()) {
      ctx.executor().schedule(openLoopTick, nextIntended - now, TimeUnit.NANOSECONDS);
    }
  }

  /** {@code sentAt} is the intended send time: in an open loop a late send still counts from when it was due. */
  private void sendMeasured(long sentAt) {
    ByteBuf out = ctx.alloc().ioBuffer(80 + plan.payloadBytes());
    protocol.writeMessageStart(out, channelBytes);
    out.writeByte('@');
    writeDecimal(out, senderId);
    out.writeByte(' ');
    writeDecimal(out, seq++);
    out.writeByte(' ');
    writeDecimal(out, sentAt);
    if (plan.payloadBytes() > 0) {
      out.writeByte(' ');
      for (int k = 0; k < plan.payloadBytes(); k++) {
        out.writeByte('x');
      }
    }
    out.writeBytes(protocol.lineEnd());
    ctx.write(out, ctx.voidPromise());
    stats.sent++;
    stats.expected += deliveriesPerMessage;
    if (plan.inWindow(sentAt)) {
      stats.sentInWindow++;
    }
  }

  private void writeLine(byte[] text) {
    byte[] end = protocol.lineEnd();
    ctx.writeAndFlush(ctx.alloc().buffer(text.length + end.length).writeBytes(text).writeBytes(end),
        ctx.voidPromise());
  }

  private boolean startsWithOwnName(ByteBuf buf, int from, int to) {
    if (to - from < name.length + 3 || buf.getByte(from) != '[' || buf.getByte(from + name.length + 1) != ']'
        || buf.getByte(from + name.length + 2) != ' ') {
      return false;
    }
    for (int k = 0; k < name.length; k++) {
      if (buf.getByte(from + 1 + k) != name[k]) {
        return false;
      }
    }
    return true;
  }

  private static boolean equalsBytes(ByteBuf buf, int from, int to, byte[] expected) {
    if (to - from != expected.length) {
      return false;
    }
    for (int k = 0; k < expected.length; k++) {
      if (buf.getByte(from + k) != expected[k]) {
        return false;
      }
    }
    return true;
  }

  static void writeDecimal(ByteBuf out, long value) {
    if (value < 10) {
      out.writeByte((int) ('0' + value));
      return;
    }
    long div = 1;
    while (value / div >= 10) {
      div *= 10;
    }
    for (; div > 0; div /= 10) {
      out.writeByte((int) ('0' + (value / div) % 10));
    }
  }

  /**
   * Reads the three decimal fields {@code sender seq sentAt} of a measured message in one pass; a processor
   * lets Netty walk the bytes without a bounds check per byte.
   */
  private static final class Fields implements ByteProcessor {
    final long[] values = new long[3];
    private int field;

    void reset() {
      values[0] = 0;
      values[1] = 0;
      values[2] = 0;
      field = 0;
    }

    @Override
    public boolean process(byte b) {
      if (b == ' ') {
        return ++field < values.length;
      }
      values[field] = values[field] * 10 + (b - '0');
      return true;
    }
  }
}
