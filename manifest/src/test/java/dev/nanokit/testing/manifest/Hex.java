package dev.nanokit.testing.manifest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Test notation for byte listings as docs/formats/tfs.md writes them: hex pairs and 'quoted ASCII'. */
public final class Hex {
  private Hex() {}

  public static byte[] bytes(String listing) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < listing.length()) {
      char c = listing.charAt(i);
      if (c == '\'') {
        int end = listing.indexOf('\'', i + 1);
        byte[] text = listing.substring(i + 1, end).getBytes(StandardCharsets.UTF_8);
        out.write(text, 0, text.length);
        i = end + 1;
      } else if (Character.isWhitespace(c)) {
        i++;
      } else {
        out.write(Integer.parseInt(listing.substring(i, i + 2), 16));
        i += 2;
      }
    }
    return out.toByteArray();
  }

  public static String format(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (byte b : bytes) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(String.format("%02X", b & 0xff));
    }
    return sb.toString();
  }
}
