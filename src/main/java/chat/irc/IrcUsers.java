package chat.irc;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What IRC knows of its own users on this node beyond their names: the user name and real name given with USER, and
 * an away message. Shared by the node's IrcServerVerticle instances (a concurrent map: each writes its own users'
 * entries); users of other front-ends and nodes have none, and show their name in those places.
 */
public final class IrcUsers {

  /** {@code away} null when present; {@code invisible}: user mode +i, hidden from WHO masks. */
  record Profile(String user, String realName, String away, boolean invisible) {
  }

  private final Map<String, Profile> byKey = new ConcurrentHashMap<>();

  void put(String key, Profile profile) {
    byKey.put(key, profile);
  }

  void remove(String key) {
    byKey.remove(key);
  }

  Profile get(String key, String name) {
    Profile profile = byKey.get(key);
    return profile != null ? profile : new Profile(name, name, null, false);
  }
}
