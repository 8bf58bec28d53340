package chat.netns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs inside the client host of a {@link TestNetwork}: accepts connections on a Unix socket (a file, which every
 * network namespace shares) and connects each onward over TCP from inside the namespace.
 *
 * <p>A connection starts with one line, {@code address port}; every byte after it is copied both ways, and an end
 * of stream on one side is passed on as a half close to the other. Exits when its standard input closes.
 */
public final class Relay {

  private Relay() {
  }

  public static void main(String[] args) throws IOException {
    Path path = Path.of(args[0]);
    Files.deleteIfExists(path);
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    daemon(() -> {
      try {
        System.in.transferTo(java.io.OutputStream.nullOutputStream());
      } catch (IOException ignored) {
        // the parent is gone either way
      }
      System.exit(0);
    });
    while (true) {
      SocketChannel client = server.accept();
      daemon(() -> serve(client));
    }
  }

  private static void serve(SocketChannel client) {
    try (client; SocketChannel target = SocketChannel.open()) {
      String[] line = firstLine(client).split(" ");
      target.socket().connect(new InetSocketAddress(line[0], Integer.parseInt(line[1])), 5_000);
      target.socket().setTcpNoDelay(true);
      Thread up = daemon(() -> copy(client, target));
      copy(target, client);
      up.join();
    } catch (IOException | InterruptedException | RuntimeException e) {
      // refused, or over from either end: closing the client tells the test
    }
  }

  private static String firstLine(SocketChannel channel) throws IOException {
    ByteBuffer one = ByteBuffer.allocate(1);
    StringBuilder line = new StringBuilder();
    while (true) {
      one.clear();
      if (channel.read(one) < 0) {
        throw new IOException("closed before the target line");
      }
      char c = (char) one.get(0);
      if (c == '\n') {
        return line.toString();
      }
      line.append(c);
    }
  }

  private static void copy(SocketChannel from, SocketChannel to) {
    ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
    try {
      while (from.read(buffer) >= 0) {
        buffer.flip();
        while (buffer.hasRemaining()) {
          to.write(buffer);
        }
        buffer.clear();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  private static Thread daemon(Runnable task) {
    Thread thread = new Thread(task);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
