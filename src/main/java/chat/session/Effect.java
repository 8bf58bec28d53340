package chat.session;

/** What a {@link Session} asks its connection to do; the connection performs effects in order. */
public sealed interface Effect {

  /** Write one line to this client. */
  record Send(String line) implements Effect {
  }

  /** Reserve a name cluster-wide; the answer comes back through {@link Session#onReserved(boolean)}. */
  record Reserve(String key) implements Effect {
  }

  record Release(String key) implements Effect {
  }

  record Enter(String name, String key, String room) implements Effect {
  }

  record Leave(String key) implements Effect {
  }

  record Move(String key, String room) implements Effect {
  }

  record Say(String key, String text) implements Effect {
  }

  record Act(String key, String text) implements Effect {
  }

  record Rename(String oldKey, String newName, String newKey) implements Effect {
  }

  /** A private message; the connection tells the sender whether {@code toKey} exists. */
  record Whisper(String fromName, String fromKey, String toKey, String toAsTyped, String text) implements Effect {
  }

  record AskWho(String room) implements Effect {
  }

  record AskRooms() implements Effect {
  }

  /** A name was refused, at registration or /nick; counted by the connection. */
  record NameRefused(boolean taken) implements Effect {
  }

  /** Close the connection once everything before this effect is written. */
  record Close() implements Effect {
  }
}
