package dev.nanokit.core.plan;
import java.nio.file.Path;
public final class HostContentCache {
  private static final java.util.Map<Path, byte[]> MAP = new java.util.concurrent.ConcurrentHashMap<>();
  static void put(Path p, byte[] b) { MAP.put(p, b); }
  public static byte[] get(Path p) { return MAP.get(p); }
}
