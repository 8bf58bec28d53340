package chat.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RoomRequestTest {

  static Stream<RoomRequest> requests() {
    return Stream.of(
        new RoomRequest.Enter(new Member("Alice", "alice", "instance-1", 42L), "lobby"),
        new RoomRequest.Enter(new Member("김철수", "김철수", "node-a/3", Long.MAX_VALUE), "개발"),
        new RoomRequest.Leave("alice"),
        new RoomRequest.Move("alice", "dev"),
        new RoomRequest.Say("alice", "  hello 😀  ", 1_700_000_000_000_000L),
        new RoomRequest.Act("alice", "waves", 1_700_000_000_000_001L),
        new RoomRequest.Rename("alice", "ALICE", "alice"),
        new RoomRequest.Rename("alice", "Carol", "carol"),
        new RoomRequest.Direct("instance-1", 7L, "*** notice"),
        new RoomRequest.Whisper("alice", "bob", "psst"),
        new RoomRequest.Who("lobby"),
        new RoomRequest.Rooms());
  }

  @ParameterizedTest
  @MethodSource("requests")
  void everyRequestRoundTripsThroughJson(RoomRequest request) {
    assertThat(RoomRequest.fromJson(request.toJson())).isEqualTo(request);
  }

  @ParameterizedTest
  @MethodSource("requests")
  void everyRequestSurvivesTheWireEncoding(RoomRequest request) {
    JsonObject wire = new JsonObject(request.toJson().encode());

    assertThat(RoomRequest.fromJson(wire)).isEqualTo(request);
  }

  @Test
  void anUnknownOpIsRejected() {
    assertThatThrownBy(() -> RoomRequest.fromJson(new JsonObject().put("op", "explode")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("explode");
  }
}
