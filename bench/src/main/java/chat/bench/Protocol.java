package chat.bench;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * How a simulated user speaks to the server: the wire format of a chat message and of a received one. The
 * measurement (sequence checks, latency, windows) is the same for every protocol; only these bytes differ.
 *
 * <p>{@link #LINE} is the chat server's line protocol: a message is the text itself, a received one is
 * {@code [name] text}, and the sender gets its own message back. {@link #IRC} is the IRC client protocol: a message
 * is {@code PRIVMSG #channel :text}, a received one {@code :nick!user@host PRIVMSG #channel :text}, and the sender
 * does not get its own (no {@code echo-message}), so another member of the room acknowledges it instead.
 */
enum Protocol {
  LINE("\n", true) {
    @Override
    String channel(String room) {
      return room;
    }

    @Override
    void writeMessageStart(ByteBuf out, byte[] channel) {
      // the text alone is a message to the user's room
    }

    /** Index of the text after {@code [name] }, or -1; a name never contains {@code ]}. */
    @Override
    int bodyStart(ByteBuf buf, int from, int to) {
      if (to - from < 4 || buf.getByte(from) != '[') {
        return -1;
      }
      int close = buf.indexOf(from + 1, to, (byte) ']');
      if (close < 0 || close + 2 >= to || buf.getByte(close + 1) != ' ') {
        return -1;
      }
      return close + 2;
    }
  },

  IRC("\r\n", false) {
    /** Everybody joins a channel; the line protocol's lobby is {@code #lobby}. */
    @Override
    String channel(String room) {
      return "#" + (room == null ? "lobby" : room);
    }

    @Override
    void writeMessageStart(ByteBuf out, byte[] channel) {
      out.writeBytes(PRIVMSG).writeByte(' ').writeBytes(channel).writeByte(' ').writeByte(':');
    }

    /**
     * Index of the text of a {@code PRIVMSG}, its last parameter, or -1 for any other line. A server may leave
     * out the {@code :} before a last parameter without spaces ({@code PRIVMSG #lobby #sync}), as the chat server
     * does.
     */
    @Override
    int bodyStart(ByteBuf buf, int from, int to) {
      int command = IrcLine.commandStart(buf, from, to);
      if (command < 0 || !IrcLine.is(buf, command, to, PRIVMSG)) {
        return -1;
      }
      int target = command + PRIVMSG.length + 1;
      int space = target < to ? buf.indexOf(target, to, (byte) ' ') : -1;
      if (space < 0 || space + 1 >= to) {
        return -1;
      }
      int text = buf.getByte(space + 1) == ':' ? space + 2 : space + 1;
      return text < to ? text : -1;
    }
  };

  private static final byte[] PRIVMSG = "PRIVMSG".getBytes(StandardCharsets.US_ASCII);

  private final byte[] lineEnd;
  private final boolean echoesOwnMessages;

  Protocol(String lineEnd, boolean echoesOwnMessages) {
    this.lineEnd = lineEnd.getBytes(StandardCharsets.US_ASCII);
    this.echoesOwnMessages = echoesOwnMessages;
  }

  /** What a user joins for {@code room} (null: the lobby); null means it stays where registration put it. */
  abstract String channel(String room);

  /** Writes what comes before the text of a message to {@code channel}. */
  abstract void writeMessageStart(ByteBuf out, byte[] channel);

  /** Index of the text of a chat message from another user in {@code buf[from, to)}, or -1. */
  abstract int bodyStart(ByteBuf buf, int from, int to);

  byte[] lineEnd() {
    return lineEnd;
  }

  /** Whether the sender of a message receives it too, as every other member of its room does. */
  boolean echoesOwnMessages() {
    return echoesOwnMessages;
  }

  /** Deliveries one message makes in a room of {@code members}. */
  int deliveriesPerMessage(int members) {
    return echoesOwnMessages ? members : members - 1;
  }
}
