package chat.bus;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.Reply;
import chat.core.RoomEvent;
import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ClusterEventTest {

  static Stream<ClusterEvent> events() {
    return Stream.of(
        ClusterEvent.room("node-1", RoomEvent.message(RoomEvent.Kind.SAID, "lobby", "Alice", " hi 😀 ", 123)),
        ClusterEvent.room("node-1", RoomEvent.message(RoomEvent.Kind.ACTED, "lobby", "Alice", "waves", 124)),
        ClusterEvent.room("node-1", RoomEvent.of(RoomEvent.Kind.QUIT, "개발", "김철수", 5)),
        ClusterEvent.room("node-1", RoomEvent.of(RoomEvent.Kind.PARTED, "dev", "bob", 6)),
        ClusterEvent.room("node-1", RoomEvent.of(RoomEvent.Kind.JOINED, "dev", "bob", 7)),
        ClusterEvent.room("node-3", RoomEvent.renamed("dev", "bob", "Bobby", 8)),
        ClusterEvent.presence("node-2", "Carol", true),
        ClusterEvent.presence("node-2", "Carol", false),
        ClusterEvent.room("node-1", new RoomEvent(RoomEvent.Kind.JOINED, "dev", "bob", null, "o", 7, 0, 0)),
        ClusterEvent.room("node-1", RoomEvent.mode("dev", "bob", "+v", "Carol", 10)),
        ClusterEvent.room("node-1", RoomEvent.mode("dev", "bob", "-t", null, 11)),
        ClusterEvent.whisper("node-2", "bob", new Reply.Whispered("Alice", "Bob", "psst", 9, false)),
        ClusterEvent.whisper("node-2", "bob", new Reply.Whispered("Alice", "Bob", "note", 9, true)));
  }

  @ParameterizedTest
  @MethodSource("events")
  void everyEventSurvivesTheWireEncoding(ClusterEvent event) {
    JsonObject wire = new JsonObject(event.toJson().encode());

    assertThat(ClusterEvent.fromJson(wire)).isEqualTo(event);
  }

  @Test
  void aRoomEventCrossesTheWireWithoutTheSendersOwnMembershipChange() {
    RoomEvent local = RoomEvent.of(RoomEvent.Kind.JOINED, "dev", "bob", 7).withMembershipChange(42, 0);

    assertThat(ClusterEvent.room("node-1", local).event().add()).isZero();
  }
}
