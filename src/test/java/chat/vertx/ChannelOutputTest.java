package chat.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pins what {@link ChannelOutput} relies on inside Vert.x: a server socket's Netty channel reachable, writes that
 * wait for a flush, and a close that drops what is queued. An upgrade that moves them fails here.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ChannelOutputTest {

  @Test
  void writesReachTheClientOnlyOnceFlushedAndCloseAfterFlushEndsTheConnection(Vertx vertx, VertxTestContext test) {
    AtomicReference<ChannelOutput> output = new AtomicReference<>();
    AtomicBoolean flushed = new AtomicBoolean();
    NetServer server = vertx.createNetServer().connectHandler(socket -> {
      ChannelOutput out = new ChannelOutput(socket);
      output.set(out);
      out.write(Unpooled.copiedBuffer("one\n", StandardCharsets.UTF_8));
      out.write(Unpooled.copiedBuffer("two\n", StandardCharsets.UTF_8));
      test.verify(() -> assertThat(out.writable()).isTrue());
      // Unflushed: the client must see nothing until the flush below.
      vertx.setTimer(100, t -> {
        flushed.set(true);
        out.flush();
        out.write(Unpooled.copiedBuffer("three\n", StandardCharsets.UTF_8));
        out.closeAfterFlush();
      });
    });
    server.listen(0, "127.0.0.1").compose(s -> vertx.createNetClient().connect(s.actualPort(), "127.0.0.1"))
        .onComplete(test.succeeding(client -> {
          StringBuilder received = new StringBuilder();
          client.handler(data -> {
            test.verify(() -> assertThat(flushed).isTrue());
            received.append(data.toString(StandardCharsets.UTF_8));
          });
          client.closeHandler(v -> test.verify(() -> {
            assertThat(received.toString()).isEqualTo("one\ntwo\nthree\n");
            assertThat(output.get().open()).isFalse();
            test.completeNow();
          }));
        }));
  }

  @Test
  void closeNowDropsWhatIsQueued(Vertx vertx, VertxTestContext test) {
    NetServer server = vertx.createNetServer().connectHandler((NetSocket socket) -> {
      ChannelOutput out = new ChannelOutput(socket);
      out.write(Unpooled.copiedBuffer("never flushed\n", StandardCharsets.UTF_8));
      out.closeNow();
    });
    server.listen(0, "127.0.0.1").compose(s -> vertx.createNetClient().connect(s.actualPort(), "127.0.0.1"))
        .onComplete(test.succeeding(client -> {
          StringBuilder received = new StringBuilder();
          client.handler(data -> received.append(data.toString(StandardCharsets.UTF_8)));
          client.closeHandler(v -> test.verify(() -> {
            assertThat(received.toString()).isEmpty();
            test.completeNow();
          }));
        }));
  }
}
