package chat.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RoomEventTest {

  static Stream<RoomEvent> events() {
    return Stream.of(
        RoomEvent.joined("lobby", "Alice"),
        RoomEvent.joined("lobby", "Alice").withMembershipChange(3, 0),
        RoomEvent.left("lobby", "Alice"),
        RoomEvent.left("lobby", "Alice").withMembershipChange(0, 3),
        RoomEvent.said("lobby", "Alice", "  hello 😀  "),
        RoomEvent.said("개발", "김철수", "안녕하세요"),
        RoomEvent.said("lobby", "Alice", ""),
        RoomEvent.acted("lobby", "Alice", "waves"),
        RoomEvent.renamed("lobby", "Alice", "Carol"),
        RoomEvent.whispered("Alice", "Bob", 12L, "psst"),
        RoomEvent.direct(Long.MAX_VALUE, "*** notice"),
        RoomEvent.evicted(5L, "*** rejoining"),
        new RoomEvent(RoomEvent.Kind.SAID, "r", "n", "o", "t", 1, 2, 3, 4));
  }

  @ParameterizedTest
  @MethodSource("events")
  void everyEventRoundTripsThroughJson(RoomEvent event) {
    assertThat(RoomEvent.fromJson(event.toJson())).isEqualTo(event);
  }

  @ParameterizedTest
  @MethodSource("events")
  void everyEventSurvivesTheWireEncoding(RoomEvent event) {
    JsonObject wire = new JsonObject(event.toJson().encode());

    assertThat(RoomEvent.fromJson(wire)).isEqualTo(event);
  }
}
