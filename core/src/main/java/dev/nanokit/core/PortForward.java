package dev.nanokit.core;

/**
 * One port of the host forwarded to the guest by QEMU's user-mode network ({@code hostfwd}).
 *
 * @param protocol TCP or UDP
 * @param hostPort port on the host, 1–65535
 * @param guestPort port in the guest, 1–65535
 *
 * <p>Immutable.
 */
public record PortForward(Protocol protocol, int hostPort, int guestPort) {
  /** Transport protocol of a forwarded port. */
  public enum Protocol {
    TCP,
    UDP
  }

  public PortForward {
    java.util.Objects.requireNonNull(protocol, "protocol");
    if (hostPort < 1 || hostPort > 65535 || guestPort < 1 || guestPort > 65535) {
      throw new IllegalArgumentException("port " + hostPort + (hostPort == guestPort ? "" : ":" + guestPort)
          + ": ports are 1 to 65535");
    }
  }

  /**
   * Parses {@code PORT} (the same port on both sides), {@code HOST:GUEST}, or ops' config form
   * {@code HOST-GUEST}.
   *
   * @throws IllegalArgumentException naming the text when it is none of these
   */
  public static PortForward parse(Protocol protocol, String text) {
    int sep = text.indexOf(':') >= 0 ? text.indexOf(':') : text.indexOf('-');
    try {
      if (sep < 0) {
        int p = Integer.parseInt(text);
        return new PortForward(protocol, p, p);
      }
      return new PortForward(protocol, Integer.parseInt(text.substring(0, sep)), Integer.parseInt(text.substring(sep + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port '" + text + "': expected PORT or HOST:GUEST, each 1 to 65535");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("port '" + text + "': ports are 1 to 65535");
    }
  }

  /** QEMU's {@code hostfwd} value: {@code tcp::8080-:80}. */
  public String hostfwd() {
    return protocol.name().toLowerCase(java.util.Locale.ROOT) + "::" + hostPort + "-:" + guestPort;
  }
}
