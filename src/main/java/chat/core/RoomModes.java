package chat.core;

import java.util.HashMap;
import java.util.Map;

/**
 * A room's modes as IRC knows them: its flags ({@code n} no messages from outside, always on; {@code t} only
 * operators set the topic; {@code s} secret) and its members' ranks by user key ({@code o} operator, {@code v}
 * voice). The user who opens a room is its operator. Immutable; a change answers a new value.
 */
public record RoomModes(String flags, Map<String, String> ranks) {

  /** The flags a room may have, in display order. */
  public static final String FLAGS = "nst";
  /** The ranks a member may have, highest first. */
  public static final String RANKS = "ov";

  /** A room nobody opened here: only the fixed flag, no ranks (a room opened before this node knew of it). */
  public static final RoomModes NONE = new RoomModes("n", Map.of());

  public RoomModes {
    ranks = Map.copyOf(ranks);
  }

  /** A room just opened by {@code key}, its operator. */
  public static RoomModes openedBy(String key) {
    return new RoomModes(NONE.flags, Map.of(key, "o"));
  }

  public boolean has(char flag) {
    return flags.indexOf(flag) >= 0;
  }

  public boolean operator(String key) {
    return rank(key).indexOf('o') >= 0;
  }

  /** The member's ranks, highest first ("" for none). */
  public String rank(String key) {
    return ranks.getOrDefault(key, "");
  }

  /** Whether {@code mode} is a flag or a rank this room knows; {@code n} cannot be turned off. */
  public static boolean settable(char mode, boolean on) {
    return RANKS.indexOf(mode) >= 0 || FLAGS.indexOf(mode) >= 0 && (on || mode != 'n');
  }

  /** With flag {@code flag} on or off. */
  public RoomModes withFlag(char flag, boolean on) {
    StringBuilder kept = new StringBuilder();
    for (char f : FLAGS.toCharArray()) {
      if (f == flag ? on : has(f)) {
        kept.append(f);
      }
    }
    return new RoomModes(kept.toString(), ranks);
  }

  /** With the member's rank {@code rank} given or taken. */
  public RoomModes withRank(String key, char rank, boolean on) {
    String had = rank(key);
    StringBuilder kept = new StringBuilder();
    for (char r : RANKS.toCharArray()) {
      if (r == rank ? on : had.indexOf(r) >= 0) {
        kept.append(r);
      }
    }
    Map<String, String> changed = new HashMap<>(ranks);
    if (kept.isEmpty()) {
      changed.remove(key);
    } else {
      changed.put(key, kept.toString());
    }
    return new RoomModes(flags, changed);
  }

  /** Without the member, who left the room. */
  public RoomModes without(String key) {
    if (!ranks.containsKey(key)) {
      return this;
    }
    Map<String, String> changed = new HashMap<>(ranks);
    changed.remove(key);
    return new RoomModes(flags, changed);
  }

  /** The member's ranks carried over to its new name. */
  public RoomModes renamed(String oldKey, String newKey) {
    String rank = ranks.get(oldKey);
    if (rank == null || oldKey.equals(newKey)) {
      return this;
    }
    Map<String, String> changed = new HashMap<>(ranks);
    changed.remove(oldKey);
    changed.put(newKey, rank);
    return new RoomModes(flags, changed);
  }
}
