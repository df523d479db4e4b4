package dev.nanokit.testing.tfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanokit.manifest.TupleFormatException;
import dev.nanokit.manifest.codec.TupleDecoder;
import dev.nanokit.manifest.codec.TupleDictionary;
import dev.nanokit.manifest.codec.TupleEncoding;
import dev.nanokit.tfs.log.TfsFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An independent, strict parse of a log written by {@link TfsWriter}: the extension chain with every
 * record's position, asserting the writer's layout rules on the way (sizes 1 and 1024, LINK count =
 * header size, a LINK is followed by END_OF_LOG, zeros after the end).
 */
public final class WrittenLog {
  public record Record(int type, int position, long total, int segment, int dataPosition) {}

  public record Extension(long start, int blocks, int version, List<Record> records, long linkStart, int endPosition) {}

  public final int version;
  public final byte[] uuid;
  public final String label;
  public final List<Extension> extensions = new ArrayList<>();
  public final byte[] tuple;

  private WrittenLog(int version, byte[] uuid, String label, byte[] tuple) {
    this.version = version;
    this.uuid = uuid;
    this.label = label;
    this.tuple = tuple;
  }

  public static WrittenLog read(Path image) throws IOException {
    try (FileChannel ch = FileChannel.open(image)) {
      byte[] b0 = readAt(ch, 0, 512);
      assertThat(Arrays.copyOf(b0, 6)).isEqualTo(TfsFormat.MAGIC);
      int version = b0[6];
      assertThat(b0[7]).as("block 0 size field").isEqualTo((byte) 1);
      byte[] uuid = Arrays.copyOfRange(b0, 8, 24);
      int p = 24;
      while (b0[p] != 0) {
        p++;
      }
      String label = new String(b0, 24, p - 24, java.nio.charset.StandardCharsets.UTF_8);
      p++;
      assertThat(b0[p]).as("block 0 LINK").isEqualTo((byte) TfsFormat.LOG_EXTENSION_LINK);
      int[] cur = {p + 1};
      long next = varint(b0, cur);
      long count = varint(b0, cur);
      assertThat(next).isEqualTo(1);
      assertThat(count).isEqualTo(1024);
      assertThat(b0[cur[0]]).isEqualTo((byte) TfsFormat.END_OF_LOG);
      assertZeros(b0, cur[0] + 1, 512, "block 0 tail");

      ByteArrayOutputStream tuple = new ByteArrayOutputStream();
      List<Extension> exts = new ArrayList<>();
      long total = -1;
      while (true) {
        byte[] e = readAt(ch, next * 512, (int) count * 512);
        assertThat(Arrays.copyOf(e, 6)).isEqualTo(TfsFormat.MAGIC);
        assertThat((int) e[6]).isEqualTo(version);
        int[] c = {7};
        assertThat(varint(e, c)).as("extension size field").isEqualTo(count);
        List<Record> records = new ArrayList<>();
        long link = -1;
        int end;
        while (true) {
          int at = c[0];
          int type = e[c[0]++] & 0xff;
          if (type == TfsFormat.TUPLE_AVAILABLE) {
            long t = varint(e, c);
            int n = (int) varint(e, c);
            records.add(new Record(type, at, t, n, c[0]));
            total = t;
            tuple.write(e, c[0], n);
            c[0] += n;
          } else if (type == TfsFormat.TUPLE_EXTENDED) {
            int n = (int) varint(e, c);
            records.add(new Record(type, at, -1, n, c[0]));
            tuple.write(e, c[0], n);
            c[0] += n;
          } else if (type == TfsFormat.LOG_EXTENSION_LINK) {
            records.add(new Record(type, at, -1, 0, c[0]));
            link = varint(e, c);
            assertThat(varint(e, c)).as("LINK count").isEqualTo(1024);
            assertThat(e[c[0]]).as("END_OF_LOG after LINK").isEqualTo((byte) TfsFormat.END_OF_LOG);
            end = c[0];
            break;
          } else if (type == TfsFormat.END_OF_LOG) {
            records.add(new Record(type, at, -1, 0, c[0]));
            end = at;
            break;
          } else {
            throw new AssertionError("unexpected record type " + type + " at " + at + " of extension " + next);
          }
        }
        assertZeros(e, end + 1, e.length, "extension " + next + " tail");
        exts.add(new Extension(next, (int) count, version, records, link, end));
        if (link < 0) {
          break;
        }
        next = link;
      }
      byte[] t = tuple.toByteArray();
      assertThat((long) t.length).as("reassembled tuple length").isEqualTo(total);
      WrittenLog log = new WrittenLog(version, uuid, label, t);
      log.extensions.addAll(exts);
      return log;
    }
  }

  /** Decodes the reassembled root tuple into a fresh dictionary. */
  public TupleDictionary decode() throws TupleFormatException {
    TupleDictionary dict = new TupleDictionary();
    new TupleDecoder(dict).decodeRecord(tuple, 0, tuple.length, version == 5 ? TupleEncoding.V5 : TupleEncoding.V4);
    return dict;
  }

  public static byte[] readAt(FileChannel ch, long pos, int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n);
    while (b.hasRemaining()) {
      int r = ch.read(b, pos + b.position());
      if (r < 0) {
        throw new AssertionError("image ends at " + (pos + b.position()) + ", wanted " + (pos + n));
      }
    }
    return b.array();
  }

  public static long varint(byte[] b, int[] c) {
    long v = 0;
    while (true) {
      int x = b[c[0]++] & 0xff;
      v = (v << 7) | (x & 0x7f);
      if ((x & 0x80) == 0) {
        return v;
      }
    }
  }

  private static void assertZeros(byte[] b, int from, int to, String what) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        throw new AssertionError(what + ": byte " + i + " is " + b[i] + ", expected zero");
      }
    }
  }
}
