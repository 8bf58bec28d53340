package chat.web;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Which pages may open a WebSocket (cross-site WebSocket hijacking is refused before the upgrade). A browser always
 * sends {@code Origin}; a request without one is not from a page and is let through. The page's own origin is always
 * allowed: its host and port equal the request's {@code Host}, whatever the scheme, since a proxy that terminates TLS
 * turns {@code https://} into plain HTTP on its way here.
 */
public final class Origins {

  private final List<String> allowed;

  /** {@code allowed}: {@code scheme://host[:port]} entries, or {@code *} for any origin. */
  public Origins(List<String> allowed) {
    this.allowed = allowed.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
  }

  public boolean allows(String origin, String host) {
    if (origin == null || allowed.contains("*")) {
      return true;
    }
    String normalised = origin.strip().toLowerCase(Locale.ROOT);
    if (allowed.contains(normalised)) {
      return true;
    }
    return host != null && sameAuthority(normalised, host.strip().toLowerCase(Locale.ROOT));
  }

  private static boolean sameAuthority(String origin, String host) {
    URI uri;
    try {
      uri = new URI(origin);
    } catch (Exception e) {
      return false;
    }
    String scheme = uri.getScheme();
    if (uri.getHost() == null || (!"http".equals(scheme) && !"https".equals(scheme)) || uri.getRawPath() != null
        && !uri.getRawPath().isEmpty()) {
      return false;
    }
    String authority = uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    return authority.equals(host) || withoutDefaultPort(host, scheme).equals(authority);
  }

  // Host: example.com:443 from a page at https://example.com is the same origin.
  private static String withoutDefaultPort(String host, String scheme) {
    String suffix = "https".equals(scheme) ? ":443" : ":80";
    return host.endsWith(suffix) ? host.substring(0, host.length() - suffix.length()) : host;
  }
}
