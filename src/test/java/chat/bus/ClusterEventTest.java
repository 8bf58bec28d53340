package chat.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ClusterEventTest {

  static Stream<ClusterEvent> events() {
    return Stream.of(
        new ClusterEvent("node-1", null, RoomEvent.said("lobby", "Alice", " hi ").withSentAt(123)),
        new ClusterEvent("node-1", null, RoomEvent.left("개발", "김철수")),
        new ClusterEvent("node-2", "bob", RoomEvent.whispered("Alice", "Bob", 0, "psst")));
  }

  @ParameterizedTest
  @MethodSource("events")
  void everyEventSurvivesTheWireEncoding(ClusterEvent event) {
    JsonObject wire = new JsonObject(event.toJson().encode());

    assertThat(ClusterEvent.fromJson(wire)).isEqualTo(event);
  }
}
