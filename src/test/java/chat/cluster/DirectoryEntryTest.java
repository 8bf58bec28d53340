package chat.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DirectoryEntryTest {

  @Test
  void anEntryRoundTripsThroughItsStringAndEncodesTheSameEveryTime() {
    Directory.Entry entry = new Directory.Entry("김철수", "개발", "node-1", 1_700_000_000_123_456L);

    String encoded = entry.encode();

    assertThat(Directory.Entry.decode(encoded)).isEqualTo(entry);
    // removeIfPresent compares the stored string: a decoded entry must encode to exactly the same.
    assertThat(Directory.Entry.decode(encoded).encode()).isEqualTo(encoded);
  }
}
