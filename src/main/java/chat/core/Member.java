package chat.core;

/** A registered user and where it is served: which front-end instance, which of its connections. */
public record Member(String name, String key, String instance, long connection) {

  public Member renamed(String newName, String newKey) {
    return new Member(newName, newKey, instance, connection);
  }
}
