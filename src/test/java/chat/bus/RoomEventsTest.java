package chat.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoomEventsTest {

  private final RoomEvents batch = new RoomEvents(List.of(
      RoomEvent.joined("lobby", "Alice").withMembershipChange(7, 0),
      RoomEvent.said("lobby", "Alice", "  hello 😀  ").withSentAt(1_700_000_000_000_000L),
      RoomEvent.direct(7, "*** notice"),
      RoomEvent.left("lobby", "Alice").withMembershipChange(0, 7)));

  @Test
  void aBatchRoundTripsThroughJsonInOrder() {
    assertThat(RoomEvents.fromJson(new JsonObject(batch.toJson().encode()))).isEqualTo(batch);
  }

  @Test
  void requestsTravelTheSameWay() {
    RecordCodec<RoomRequest> codec = RecordCodec.requests();
    RoomRequest say = new RoomRequest.Say("alice", "hi", 1L);
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, say);
    assertThat(codec.transform(say)).isSameAs(say);
    assertThat(codec.decodeFromWire(0, wire)).isEqualTo(say);
  }

  @Test
  void oneWayRequestsTravelAsOneBatchInOrder() {
    RecordCodec<RoomRequests> codec = RecordCodec.roomRequests();
    RoomRequests requests = new RoomRequests(List.of(
        new RoomRequest.Enter(new Member("Alice", "alice", "instance-1", 7), "lobby"),
        new RoomRequest.Say("alice", "  hi  ", 1L),
        new RoomRequest.Direct("instance-1", 7, "*** notice"),
        new RoomRequest.Leave("alice")));
    assertThat(codec.transform(requests)).isSameAs(requests);
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, requests);
    assertThat(codec.decodeFromWire(0, wire)).isEqualTo(requests);
  }

  @Test
  void theCodecSharesTheRecordLocallyAndEncodesItForTheWire() {
    RecordCodec<RoomEvents> codec = RecordCodec.roomEvents();
    assertThat(codec.transform(batch)).isSameAs(batch);
    Buffer wire = Buffer.buffer().appendString("prefix");
    codec.encodeToWire(wire, batch);
    assertThat(codec.decodeFromWire("prefix".length(), wire)).isEqualTo(batch);
  }
}
