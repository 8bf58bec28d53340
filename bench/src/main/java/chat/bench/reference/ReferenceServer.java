package chat.bench.reference;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The ceiling for the chat server: a broadcast-only server on plain Netty with one event loop, no rooms and
 * only the handshake of the protocol (ID, name, taken, join, leave), so the same load generator drives both.
 * It runs on Netty's native epoll transport where that loads (Linux), which saves a copy and a syscall or two per
 * write against NIO, and on NIO elsewhere.
 *
 * <p>Every broadcast line is encoded once, into a per-turn batch that all recipients share through retained
 * duplicates: one queued write per member per event-loop turn however many lines the turn carried, then one
 * flush per member once the turn's reads are done. Fewer, larger writes as load grows keep it from falling
 * into a GC spiral of millions of queued one-line entries when a burst outruns it.
 * Lines starting with {@code /} are ignored except {@code /quit}. All state is confined to the one event loop.
 */
public final class ReferenceServer implements AutoCloseable {

  private static final int MAX_LINE_BYTES = 4096;

  private final String host;
  private final int requestedPort;
  private final Lines lines;
  private final Transport transport;
  private final EventLoopGroup group;
  private final EventLoop loop;
  private final List<Member> members = new ArrayList<>();
  private final Set<String> names = new HashSet<>();
  private final List<Member> dirty = new ArrayList<>();
  private final Runnable flushDirty = this::flushDirty;
  private boolean flushScheduled;
  private ByteBuf batch;
  private Channel serverChannel;

  /** The fastest this machine runs: epoll when its native library loads, NIO otherwise. */
  public ReferenceServer(String host, int port, boolean english) {
    this(host, port, english, Transport.best());
  }

  public ReferenceServer(String host, int port, boolean english, Transport transport) {
    this.host = host;
    this.requestedPort = port;
    this.lines = english ? Lines.EN : Lines.KO;
    if (!transport.isAvailable()) {
      throw new IllegalStateException("epoll is not available here: " + Epoll.unavailabilityCause());
    }
    this.transport = transport;
    this.group = new MultiThreadIoEventLoopGroup(1, transport.ioHandler.get());
    this.loop = group.next();
  }

  public Transport transport() {
    return transport;
  }

  /** Binds and returns the port actually bound (useful with port 0). */
  public int start() throws InterruptedException {
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(loop, loop)
        .channel(transport.serverChannel)
        .option(ChannelOption.SO_BACKLOG, 4096)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new LineBasedFrameDecoder(MAX_LINE_BYTES, true, true), new Member());
          }
        });
    serverChannel = bootstrap.bind(new InetSocketAddress(host, requestedPort)).sync().channel();
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  @Override
  public void close() {
    if (serverChannel != null) {
      serverChannel.close().syncUninterruptibly();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** This turn's batch of broadcast lines, which every member receives whole in one write at the flush. */
  private ByteBuf batch(Member from) {
    if (batch == null) {
      batch = from.channel.alloc().buffer(4096);
    }
    scheduleFlush();
    return batch;
  }

  /**
   * Hands the batch to every current member. Runs before membership changes, so a newcomer never receives
   * lines from before its join and a leaver's last lines still reach it.
   */
  private void sealBatch() {
    if (batch == null) {
      return;
    }
    for (int i = 0, n = members.size(); i < n; i++) {
      Member m = members.get(i);
      m.channel.write(batch.retainedDuplicate(), m.silent);
      markDirty(m);
    }
    batch.release();
    batch = null;
  }

  private void send(Member m, byte[] line) {
    m.channel.write(m.channel.alloc().buffer(line.length).writeBytes(line), m.silent);
    markDirty(m);
    scheduleFlush();
  }

  private void markDirty(Member m) {
    if (!m.dirty) {
      m.dirty = true;
      dirty.add(m);
    }
  }

  private void scheduleFlush() {
    if (!flushScheduled) {
      flushScheduled = true;
      // Runs after the I/O of the current loop turn, so one flush covers every read in that turn.
      loop.execute(flushDirty);
    }
  }

  private void flushDirty() {
    flushScheduled = false;
    sealBatch();
    for (int i = 0, n = dirty.size(); i < n; i++) {
      Member m = dirty.get(i);
      m.dirty = false;
      m.channel.flush();
    }
    dirty.clear();
  }

  private void broadcastText(Member from, ByteBuf text) {
    batch(from).writeByte('[').writeBytes(from.nameBytes).writeByte(']').writeByte(' ')
        .writeBytes(text, text.readerIndex(), text.readableBytes()).writeByte('\n');
  }

  private void broadcastNotice(Member from, byte[] tail) {
    batch(from).writeByte('[').writeBytes(from.nameBytes).writeByte(']').writeBytes(tail);
  }

  private final class Member extends ChannelInboundHandlerAdapter {
    private Channel channel;
    // A failed write means the peer is gone, which channelInactive handles; the channel's own void promise
    // would fire exceptionCaught once per queued line, millions of times for a slow reader that drops.
    private ChannelPromise silent;
    private String name;
    private byte[] nameBytes;
    private int index = -1;
    private boolean dirty;

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      channel = ctx.channel();
      silent = channel.unsafe().voidPromise();
      send(this, lines.id);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf line = (ByteBuf) msg;
      try {
        if (name == null) {
          register(line.toString(StandardCharsets.UTF_8).strip());
        } else if (line.isReadable() && line.getByte(line.readerIndex()) == '/') {
          if (line.toString(StandardCharsets.UTF_8).strip().equals("/quit")) {
            ctx.close();
          }
        } else if (line.isReadable()) {
          broadcastText(this, line);
        }
      } finally {
        line.release();
      }
    }

    private void register(String candidate) {
      if (candidate.isEmpty()) {
        send(this, lines.id);
      } else if (candidate.equals("/quit")) {
        channel.close();
      } else if (!names.add(candidate)) {
        send(this, lines.taken);
        send(this, lines.id);
      } else {
        name = candidate;
        nameBytes = candidate.getBytes(StandardCharsets.UTF_8);
        sealBatch();
        index = members.size();
        members.add(this);
        broadcastNotice(this, lines.joined);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (index < 0) {
        return;
      }
      sealBatch();
      Member last = members.remove(members.size() - 1);
      if (last != this) {
        members.set(index, last);
        last.index = index;
      }
      index = -1;
      names.remove(name);
      broadcastNotice(this, lines.left);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** Netty's I/O transports; EPOLL only where {@link Epoll#isAvailable()}. */
  public enum Transport {
    EPOLL(EpollIoHandler::newFactory, EpollServerSocketChannel.class),
    NIO(NioIoHandler::newFactory, NioServerSocketChannel.class);

    private final Supplier<IoHandlerFactory> ioHandler;
    private final Class<? extends ServerChannel> serverChannel;

    Transport(Supplier<IoHandlerFactory> ioHandler, Class<? extends ServerChannel> serverChannel) {
      this.ioHandler = ioHandler;
      this.serverChannel = serverChannel;
    }

    public static Transport best() {
      return Epoll.isAvailable() ? EPOLL : NIO;
    }

    public boolean isAvailable() {
      return this == NIO || Epoll.isAvailable();
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private record Lines(byte[] id, byte[] taken, byte[] joined, byte[] left) {
    static final Lines KO = of("ID\n", "등록된 사용자\n", " 접속\n", " 접속 해제\n");
    static final Lines EN = of("ID\n", "name taken\n", " joined\n", " left\n");

    static Lines of(String id, String taken, String joined, String left) {
      return new Lines(utf8(id), utf8(taken), utf8(joined), utf8(left));
    }

    private static byte[] utf8(String s) {
      return s.getBytes(StandardCharsets.UTF_8);
    }
  }
}
