package dev.nanokit.tfs.log;

import dev.nanokit.manifest.codec.Varint;
import dev.nanokit.tfs.TfsNoSpaceException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Lays out a fresh log (docs/formats/tfs.md, "3.2 Extension header" to "3.4 How writers fill extensions (split rule)", "9.1 Writer (recommended, ops-compatible layout)" step 5): the initial one-block extension at block 0
 * holding only header, LINK and END_OF_LOG, and a chain of 1024-block extensions holding one
 * TUPLE_AVAILABLE with the whole encoded root tuple, continued in TUPLE_EXTENDED records by the "3.4 How writers fill extensions (split rule)"
 * split rule ({@link LogAppender}, which the editor shares), then END_OF_LOG.
 */
public final class LogWriter {
  private LogWriter() {}

  /**
   * One extension of the chain: {@code bytes} are its first bytes (header, records, END_OF_LOG or
   * LINK + END_OF_LOG); the rest of its {@code blocks} blocks is zero.
   */
  public record Extension(long startBlock, int blocks, byte[] bytes) {}

  /**
   * The regular extensions holding {@code tuple}: the first at {@code firstBlock}, any further ones at
   * {@code nextFreeBlock}, {@code nextFreeBlock + 1024}, … (the ops layout puts them after the data).
   */
  public static List<Extension> chain(byte[] tuple, int version, long firstBlock, long nextFreeBlock) {
    long[] next = {nextFreeBlock};
    LogAppender appender = LogAppender.fresh(firstBlock, version, () -> {
      long start = next[0];
      next[0] += TfsFormat.EXTENSION_BLOCKS;
      return start;
    });
    try {
      appender.append(tuple);
    } catch (TfsNoSpaceException e) {
      throw new AssertionError("a sequential allocator never runs out", e);
    }
    List<Extension> out = new ArrayList<>();
    for (LogAppender.Write w : appender.finish()) {
      out.add(new Extension(w.volumeOffset() / TfsFormat.BLOCK_SIZE, TfsFormat.EXTENSION_BLOCKS, w.bytes()));
    }
    return out;
  }

  /** Block 0 (512 bytes): magic, version, size 1, UUID, label, {@code 00}, LINK(firstBlock, 1024), END_OF_LOG. */
  public static byte[] initialExtension(int version, byte[] uuid, byte[] label, long firstBlock) {
    if (uuid.length != TfsFormat.UUID_LENGTH) {
      throw new IllegalArgumentException("a UUID is 16 bytes, got " + uuid.length);
    }
    if (label.length > TfsFormat.LABEL_MAX) {
      throw new IllegalArgumentException("a label is at most " + TfsFormat.LABEL_MAX + " bytes, got " + label.length);
    }
    ByteArrayOutputStream buf = new ByteArrayOutputStream(TfsFormat.BLOCK_SIZE);
    buf.writeBytes(TfsFormat.MAGIC);
    Varint.write(buf, version);
    Varint.write(buf, TfsFormat.INITIAL_EXTENSION_BLOCKS);
    buf.writeBytes(uuid);
    buf.writeBytes(label);
    buf.write(0);
    buf.write(TfsFormat.LOG_EXTENSION_LINK);
    Varint.write(buf, firstBlock);
    Varint.write(buf, TfsFormat.EXTENSION_BLOCKS);
    buf.write(TfsFormat.END_OF_LOG);
    byte[] block = new byte[TfsFormat.BLOCK_SIZE];
    byte[] used = buf.toByteArray();
    System.arraycopy(used, 0, block, 0, used.length);
    return block;
  }
}
