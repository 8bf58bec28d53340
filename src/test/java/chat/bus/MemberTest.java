package chat.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MemberTest {

  static Stream<Member> members() {
    return Stream.of(
        new Member("Alice", "alice", "instance-1", 1L),
        new Member("김철수", "김철수", "node-b/0", Long.MAX_VALUE));
  }

  @ParameterizedTest
  @MethodSource("members")
  void memberRoundTripsThroughTheWireEncoding(Member member) {
    assertThat(Member.fromJson(new JsonObject(member.toJson().encode()))).isEqualTo(member);
  }
}
