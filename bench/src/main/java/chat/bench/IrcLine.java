package chat.bench;

import io.netty.buffer.ByteBuf;

/**
 * Reads the parts of an IRC line that the load generator needs, in place: {@code [@tags ][:source ]COMMAND params}.
 */
final class IrcLine {

  private IrcLine() {
  }

  /** Index of the command in {@code buf[from, to)}, past the tags and the source, or -1 when there is none. */
  static int commandStart(ByteBuf buf, int from, int to) {
    int i = from;
    if (i < to && buf.getByte(i) == '@') {
      i = afterSpace(buf, i, to);
    }
    if (i >= 0 && i < to && buf.getByte(i) == ':') {
      i = afterSpace(buf, i, to);
    }
    return i >= 0 && i < to ? i : -1;
  }

  /** Whether the word at {@code at} is {@code word}, followed by a space or the end of the line. */
  static boolean is(ByteBuf buf, int at, int to, byte[] word) {
    if (to - at < word.length || (to - at > word.length && buf.getByte(at + word.length) != ' ')) {
      return false;
    }
    for (int k = 0; k < word.length; k++) {
      if (buf.getByte(at + k) != word[k]) {
        return false;
      }
    }
    return true;
  }

  /** Whether the line's source is {@code nick} ({@code :nick!user@host} or {@code :nick}). */
  static boolean isFrom(ByteBuf buf, int from, int to, byte[] nick) {
    int i = from;
    if (i < to && buf.getByte(i) == '@') {
      i = afterSpace(buf, i, to);
    }
    if (i < 0 || to - i < nick.length + 2 || buf.getByte(i) != ':') {
      return false;
    }
    for (int k = 0; k < nick.length; k++) {
      if (buf.getByte(i + 1 + k) != nick[k]) {
        return false;
      }
    }
    byte after = buf.getByte(i + 1 + nick.length);
    return after == '!' || after == ' ';
  }

  private static int afterSpace(ByteBuf buf, int from, int to) {
    int space = buf.indexOf(from, to, (byte) ' ');
    return space < 0 ? -1 : space + 1;
  }
}
