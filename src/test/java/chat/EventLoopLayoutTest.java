package chat;

import static org.assertj.core.api.Assertions.assertThat;

import chat.net.NetServerVerticle;
import chat.room.RoomVerticle;
import io.netty.channel.EventLoop;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server gets one event loop per NetServerVerticle instance, so the instances cover every loop and the
 * RoomVerticle always shares its loop with one of them (its lines then reach the room and come back without a thread
 * hand-off).
 */
@Timeout(60)
class EventLoopLayoutTest {

  @Test
  void everyLoopHoldsOneInstanceAndTheRoomVerticleSharesOne() throws Exception {
    try (TestServer server = TestServer.start(Map.of("CHAT_TCP_INSTANCES", "3"))) {
      List<EventLoop> instances = loopsOf(server, NetServerVerticle.class);
      List<EventLoop> room = loopsOf(server, RoomVerticle.class);

      assertThat(instances).hasSize(3).doesNotHaveDuplicates();
      assertThat(room).hasSize(1);
      assertThat(instances).contains(room.get(0));
    }
  }

  private static List<EventLoop> loopsOf(TestServer server, Class<?> verticle) {
    VertxInternal vertx = (VertxInternal) server.vertx();
    return vertx.deploymentIDs().stream()
        .map(id -> vertx.deploymentManager().deployment(id).deployment())
        .filter(deployment -> deployment.instances().stream().anyMatch(verticle::isInstance))
        .flatMap(deployment -> deployment.contexts().stream())
        .map(context -> ((ContextInternal) context).nettyEventLoop())
        .toList();
  }
}
