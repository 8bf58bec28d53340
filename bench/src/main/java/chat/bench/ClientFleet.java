package chat.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import org.HdrHistogram.Histogram;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * The simulated users: a few Netty event loops holding many non-blocking connections. Each connection and its
 * counters belong to one loop; every cross-thread look at them is a task on that loop.
 */
final class ClientFleet implements AutoCloseable {

  private final Protocol protocol;
  private final MultiThreadIoEventLoopGroup group;
  private final Map<EventExecutor, LoopStats> statsByLoop = new IdentityHashMap<>();
  private final Bootstrap bootstrap;
  private final List<BenchClient> clients = new ArrayList<>();
  private InetSocketAddress senderAddress;
  private int senderCount;

  ClientFleet(Protocol protocol, String host, int port, int threads) {
    this.protocol = protocol;
    group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
    group.forEach(loop -> statsByLoop.put(loop, new LoopStats()));
    bootstrap = new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .remoteAddress(new InetSocketAddress(host, port))
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
        // Close with RST: thousands of clients leave no TIME_WAIT sockets holding loopback ports.
        .option(ChannelOption.SO_LINGER, 0);
  }

  /** Clients 0..count-1 connect to {@code address} instead: senders on one cluster node, readers on another. */
  void sendersConnectTo(InetSocketAddress address, int count) {
    this.senderAddress = address;
    this.senderCount = count;
  }

  List<BenchClient> clients() {
    return clients;
  }

  /**
   * Connects and registers users {@code from} to {@code to - 1}, at most {@code inFlight} registrations at once;
   * returns every client of the fleet so far, in index order. {@code roomOf} gives the room a user joins after registering (null: stay in lobby).
   */
  List<BenchClient> connect(int from, int to, int inFlight, IntFunction<String> nameOf, IntFunction<String> roomOf,
               long timeoutMillis, Consumer<Integer> progress)
      throws InterruptedException, TimeoutException, ExecutionException {
    Semaphore slots = new Semaphore(inFlight);
    List<CompletableFuture<BenchClient>> all = new ArrayList<>(to - from);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    for (int i = from; i < to; i++) {
      if (!slots.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        throw new TimeoutException("registration timed out after " + i + " of " + to + " clients");
      }
      EventLoop loop = group.next();
      BenchClient client = new BenchClient(i, protocol, nameOf.apply(i), roomOf.apply(i), loop,
          statsByLoop.get(loop));
      clients.add(client);
      all.add(client.ready);
      client.ready.whenComplete((c, e) -> slots.release());
      ChannelFuture connected = bootstrap.clone(loop).handler(new ChannelInitializer<SocketChannel>() {
        @Override
        protected void initChannel(SocketChannel ch) {
          ch.pipeline().addLast(client);
        }
      }).connect(i < senderCount ? senderAddress : bootstrap.config().remoteAddress());
      connected.addListener(f -> {
        if (!f.isSuccess()) {
          client.ready.completeExceptionally(f.cause());
        }
      });
      if (progress != null && (i + 1) % 1000 == 0) {
        progress.accept(i + 1);
      }
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    return clients;
  }

  /**
   * Sends one {@code #sync} line from the first member of each room and waits until every client has seen its
   * room's. The server keeps each room's lines in order, so every join line was delivered before it. When the
   * protocol does not echo a sender's own lines, the second member sends one too, for the first to see.
   */
  void barrier(List<List<BenchClient>> rooms, long timeoutMillis)
      throws InterruptedException, ExecutionException, TimeoutException {
    List<CompletableFuture<Void>> all = new ArrayList<>();
    int syncers = protocol.echoesOwnMessages() ? 1 : 2;
    for (List<BenchClient> room : rooms) {
      for (BenchClient c : room.subList(0, Math.min(syncers, room.size()))) {
        c.onLoop(c::sendSync);
      }
      if (room.size() == 1 && !protocol.echoesOwnMessages()) {
        room.get(0).synced.complete(null);
      }
      room.forEach(c -> all.add(c.synced));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  LoopStats.Snapshot snapshot() throws InterruptedException, ExecutionException {
    LoopStats.Snapshot total = LoopStats.Snapshot.ZERO;
    for (Map.Entry<EventExecutor, LoopStats> e : statsByLoop.entrySet()) {
      total = total.plus(e.getKey().submit(e.getValue()::snapshot).get());
    }
    return total;
  }

  Histogram latency() throws InterruptedException, ExecutionException {
    return merged(s -> s.latency);
  }

  Histogram registration() throws InterruptedException, ExecutionException {
    return merged(s -> s.registration);
  }

  private Histogram merged(java.util.function.Function<LoopStats, Histogram> which)
      throws InterruptedException, ExecutionException {
    Histogram total = null;
    for (Map.Entry<EventExecutor, LoopStats> e : statsByLoop.entrySet()) {
      Histogram copy = e.getKey().submit(() -> which.apply(e.getValue()).copy()).get();
      if (total == null) {
        total = copy;
      } else {
        total.add(copy);
      }
    }
    return total;
  }

  /** Runs {@code task} for every client on its own loop and waits for all of them. */
  void onEveryLoop(Consumer<BenchClient> task) throws InterruptedException, ExecutionException {
    List<io.netty.util.concurrent.Future<?>> done = new ArrayList<>(clients.size());
    for (BenchClient c : clients) {
      done.add(c.loop().submit(() -> task.accept(c)));
    }
    for (io.netty.util.concurrent.Future<?> f : done) {
      f.get();
    }
  }

  @Override
  public void close() {
    clients.forEach(c -> c.onLoop(c::close));
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
