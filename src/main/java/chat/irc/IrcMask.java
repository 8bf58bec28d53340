package chat.irc;

import chat.core.Names;

/** IRC masks: {@code *} any run of characters, {@code ?} any one, the rest compared as names are (case folded). */
final class IrcMask {

  private IrcMask() {
  }

  /** Whether {@code name} matches {@code mask}; the mask {@code 0} matches every name, as {@code *} does. */
  static boolean matches(String mask, String name) {
    if (mask.equals("0")) {
      return true;
    }
    int[] m = Names.key(mask).codePoints().toArray();
    int[] n = Names.key(name).codePoints().toArray();
    // Greedy with one backtrack point: the last star and where the name stood when it was met.
    int mi = 0;
    int ni = 0;
    int star = -1;
    int resume = 0;
    while (ni < n.length) {
      if (mi < m.length && (m[mi] == '?' || m[mi] == n[ni])) {
        mi++;
        ni++;
      } else if (mi < m.length && m[mi] == '*') {
        star = mi++;
        resume = ni;
      } else if (star >= 0) {
        mi = star + 1;
        ni = ++resume;
      } else {
        return false;
      }
    }
    while (mi < m.length && m[mi] == '*') {
      mi++;
    }
    return mi == m.length;
  }
}
