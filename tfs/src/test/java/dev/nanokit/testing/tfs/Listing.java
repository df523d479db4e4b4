package dev.nanokit.testing.tfs;

import dev.nanokit.tfs.TfsNode;
import dev.nanokit.tfs.TfsVolume;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** The {@code TYPE SIZE PATH [-> TARGET | sha256=…]} listing of the golden {@code .expected} files. */
public final class Listing {
  private Listing() {}

  public static String of(TfsVolume volume) throws IOException {
    List<String[]> rows = new ArrayList<>();
    volume.walk(volume.root(), node -> {
      StringBuilder line = new StringBuilder();
      line.append(node.type().letter()).append(' ').append(node.size()).append(' ').append(node.path());
      switch (node.type()) {
        case SYMLINK -> line.append(" -> ").append(node.linkTarget());
        case FILE -> line.append(" sha256=").append(sha256(node));
        default -> { }
      }
      rows.add(new String[] {node.path(), line.toString()});
    });
    rows.sort((a, b) -> TfsNode.NAME_ORDER.compare(a[0], b[0]));
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      out.append(row[1]).append('\n');
    }
    return out.toString();
  }

  public static String sha256(TfsNode node) throws IOException {
    try (InputStream in = node.newInputStream()) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
