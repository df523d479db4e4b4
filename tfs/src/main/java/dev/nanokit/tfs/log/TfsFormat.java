package dev.nanokit.tfs.log;

import java.nio.charset.StandardCharsets;

/** Constants of the TFS log format (docs/formats/tfs.md, "3.1 Constants", "3.3 Records (frames)"). */
public final class TfsFormat {
  private TfsFormat() {}

  public static final int BLOCK_SIZE = 512;
  public static final byte[] MAGIC = "NVMTFS".getBytes(StandardCharsets.US_ASCII);
  public static final int UUID_LENGTH = 16;
  /** Label bytes, not counting the terminating zero. */
  public static final int LABEL_MAX = 31;
  public static final int INITIAL_EXTENSION_BLOCKS = 1;
  public static final int EXTENSION_BLOCKS = 1024;
  public static final int EXTENSION_BYTES = EXTENSION_BLOCKS * BLOCK_SIZE;

  public static final int END_OF_LOG = 0x01;
  public static final int TUPLE_AVAILABLE = 0x02;
  public static final int TUPLE_EXTENDED = 0x03;
  public static final int END_OF_SEGMENT = 0x04;
  public static final int LOG_EXTENSION_LINK = 0x05;

  /** Room always kept for a link record: type byte plus two maximal varints. */
  public static final int LINK_RESERVE = 21;
  /** Worst-case TUPLE_AVAILABLE header. */
  public static final int RECORD_HEADER_RESERVE = 21;
  public static final int MIN_RECORD_ROOM = 53;
  /** "3.4 How writers fill extensions (split rule)": a new extension is linked once {@code pos + 74 >= size}. */
  public static final int NEW_EXTENSION_THRESHOLD = LINK_RESERVE + MIN_RECORD_ROOM;

  /** The kernel and mkfs never create an extent longer than this many blocks (docs/formats/tfs.md, "6.3 Regular files"). */
  public static final int MAX_EXTENT_BLOCKS = 65536;
}
