package chat.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RoomModesTest {

  @Test
  void flagsAndRanksKeepTheirOrderWhateverTheOrderOfChanges() {
    RoomModes modes = RoomModes.openedBy("ann").withFlag('t', true).withFlag('s', true).withRank("ann", 'v', true);
    assertThat(modes.flags()).isEqualTo("nst");
    assertThat(modes.rank("ann")).isEqualTo("ov");
    assertThat(modes.withFlag('s', false).flags()).isEqualTo("nt");
    assertThat(modes.withRank("ann", 'o', false).rank("ann")).isEqualTo("v");
    assertThat(modes.withRank("ann", 'o', false).operator("ann")).isFalse();
  }

  @Test
  void aMemberWithoutRanksIsForgotten() {
    RoomModes modes = RoomModes.openedBy("ann").withRank("bob", 'v', true);
    assertThat(modes.withRank("bob", 'v', false).ranks()).isEqualTo(Map.of("ann", "o"));
    assertThat(modes.without("ann").ranks()).isEqualTo(Map.of("bob", "v"));
    assertThat(modes.renamed("bob", "bert").ranks()).isEqualTo(Map.of("ann", "o", "bert", "v"));
  }

  @Test
  void onlyKnownModesAreSettableAndNStaysOn() {
    assertThat(RoomModes.settable('t', true)).isTrue();
    assertThat(RoomModes.settable('o', false)).isTrue();
    assertThat(RoomModes.settable('n', true)).isTrue();
    assertThat(RoomModes.settable('n', false)).isFalse();
    assertThat(RoomModes.settable('k', true)).isFalse();
  }
}
