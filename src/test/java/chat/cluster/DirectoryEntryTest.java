package chat.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DirectoryEntryTest {

  @Test
  void anEntryRoundTripsThroughItsStringAndEncodesTheSameEveryTime() {
    Map<String, Long> rooms = new LinkedHashMap<>();
    rooms.put("개발", 1_700_000_000_123_456L);
    rooms.put("lobby", 1_700_000_000_000_001L);
    Directory.Entry entry = new Directory.Entry("김철수", "node-1", rooms);

    String encoded = entry.encode();

    assertThat(Directory.Entry.decode(encoded)).isEqualTo(entry);
    // removeIfPresent compares the stored string: a decoded entry must encode to exactly the same.
    assertThat(Directory.Entry.decode(encoded).encode()).isEqualTo(encoded);
  }

  @Test
  void aUserInNoRoomIsListedToo() {
    Directory.Entry entry = new Directory.Entry("ircuser", "node-2", Map.of());

    assertThat(Directory.Entry.decode(entry.encode())).isEqualTo(entry);
  }
}
