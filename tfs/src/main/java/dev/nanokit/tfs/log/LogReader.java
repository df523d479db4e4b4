package dev.nanokit.tfs.log;

import dev.nanokit.manifest.Tuple;
import dev.nanokit.manifest.TupleFormatException;
import dev.nanokit.manifest.codec.TupleDecoder;
import dev.nanokit.manifest.codec.TupleDictionary;
import dev.nanokit.manifest.codec.TupleEncoding;
import dev.nanokit.tfs.LogExtension;
import dev.nanokit.tfs.TfsFormatException;
import dev.nanokit.tfs.TfsReadOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Replays a whole TFS log (docs/formats/tfs.md, "3.5 Reading the whole log"): follows the extension chain from block 0 by its links
 * (never by scanning), parses every record type of "3.3 Records (frames)", reassembles tuples split across
 * extensions, and decodes each with the encoding of the extension that started it, against one
 * dictionary for the whole log.
 */
public final class LogReader {

  /** Where the log ends: the END_OF_LOG byte an appender overwrites (docs/formats/tfs.md, "7.3 What the running kernel appends (read-write mount)"). */
  public record EndOfLog(int extensionIndex, int position) {}

  /** Everything the log holds. */
  public record Log(
      Tuple root,
      TupleDictionary dictionary,
      byte[] uuid,
      String label,
      List<LogExtension> extensions,
      EndOfLog end,
      long entriesApplied,
      long entriesObsoleted,
      Origins origins) {

    /** Byte offset in the image of the log record that created {@code tuple}, or -1 if unknown. */
    public long originOf(Tuple tuple) {
      Long at = origins.of(tuple);
      return at == null ? -1 : at;
    }
  }

  private final VolumeChannel volume;
  private final TfsReadOptions options;

  public LogReader(VolumeChannel volume, TfsReadOptions options) {
    this.volume = volume;
    this.options = options;
  }

  public Log read() throws IOException {
    TupleDictionary dictionary = new TupleDictionary();
    TupleDecoder decoder = new TupleDecoder(dictionary, options.maxTupleDepth());
    // Where each tuple came from, so that a node found wrong later is reported at its bytes.
    Origins origins = new Origins();
    List<LogExtension> extensions = new ArrayList<>();
    Set<Long> visited = new HashSet<>();
    byte[] uuid = null;
    String label = null;
    long metadataBytes = 0;
    Pending pending = null;

    long start = 0;
    long blocks = TfsFormat.INITIAL_EXTENSION_BLOCKS;
    long linkAt = -1;
    whatItIsInstead(volume);
    while (true) {
      long byteStart = start * TfsFormat.BLOCK_SIZE;
      if (start < 0 || blocks <= 0 || start > volume.size() / TfsFormat.BLOCK_SIZE
          || blocks > (volume.size() - byteStart) / TfsFormat.BLOCK_SIZE) {
        throw new TfsFormatException("log extension at block " + start + " (" + blocks
            + " blocks) lies outside the filesystem of " + volume.size() + " bytes",
            linkAt < 0 ? volume.absolute(0) : linkAt);
      }
      if (!visited.add(start)) {
        throw new TfsFormatException("log extension link loops back to block " + start, linkAt);
      }
      metadataBytes += blocks * TfsFormat.BLOCK_SIZE;
      if (metadataBytes > options.maxMetadataBytes() || blocks > Integer.MAX_VALUE / TfsFormat.BLOCK_SIZE) {
        throw new TfsFormatException("log extensions exceed the metadata limit of "
            + options.maxMetadataBytes() + " bytes (maxMetadataBytes)", linkAt);
      }
      byte[] buf = new byte[Math.toIntExact(blocks * TfsFormat.BLOCK_SIZE)];
      volume.readFully(byteStart, ByteBuffer.wrap(buf));
      ExtensionCursor in = new ExtensionCursor(buf, volume.absolute(byteStart));

      byte[] magic = in.readBytes(TfsFormat.MAGIC.length);
      if (!Arrays.equals(magic, TfsFormat.MAGIC)) {
        throw new TfsFormatException(start == 0 ? "not a TFS volume: no NVMTFS magic" : "log extension at block "
            + start + " has no NVMTFS magic", in.absolute(0));
      }
      int versionAt = in.pos();
      long version = in.readVarint();
      TupleEncoding encoding = TupleEncoding.forVersion(version);
      if (encoding == null) {
        throw new TfsFormatException("unsupported TFS version " + version, in.absolute(versionAt));
      }
      int sizeAt = in.pos();
      long sizeField = in.readVarint();
      if (start == 0) {
        uuid = in.readBytes(TfsFormat.UUID_LENGTH);
        label = readLabel(in);
      } else if (sizeField != blocks) {
        throw new TfsFormatException("log extension at block " + start + " says it is " + sizeField
            + " blocks long but its link says " + blocks, in.absolute(sizeAt));
      }
      extensions.add(new LogExtension(start, blocks, encoding.version()));

      boolean linked = false;
      while (!linked) {
        int recordAt = in.pos();
        if (in.remaining() == 0) {
          throw new TfsFormatException("log extension at block " + start + " ends without END_OF_LOG or a link",
              in.absolute(recordAt));
        }
        int type = in.readByte();
        switch (type) {
          case TfsFormat.END_OF_LOG:
            if (pending != null) {
              throw new TfsFormatException("log ends inside a tuple split across extensions", in.absolute(recordAt));
            }
            if (dictionary.root() == null) {
              throw new TfsFormatException("log defines no root tuple", in.absolute(recordAt));
            }
            return new Log(dictionary.root(), dictionary, uuid, label, List.copyOf(extensions),
                new EndOfLog(extensions.size() - 1, recordAt), decoder.entriesApplied(), decoder.entriesObsoleted(),
                origins);
          case TfsFormat.TUPLE_AVAILABLE: {
            if (pending != null) {
              throw new TfsFormatException("TUPLE_AVAILABLE while a split tuple is still pending", in.absolute(recordAt));
            }
            long total = in.readVarint();
            int segAt = in.pos();
            long seg = in.readVarint();
            if (seg > total) {
              throw new TfsFormatException("segment of " + seg + " bytes is longer than its tuple (" + total + ")",
                  in.absolute(segAt));
            }
            if (seg > in.remaining()) {
              throw new TfsFormatException("segment of " + seg + " bytes runs past its extension", in.absolute(segAt));
            }
            int dataAt = in.pos();
            if (seg == total) {
              long base = in.absolute(dataAt);
              decoder.setOrigins((t, at) -> origins.add(t, base + at));
              decode(decoder, buf, dataAt, (int) seg, encoding, in.absolute(dataAt), null);
            } else {
              if (total > options.maxMetadataBytes()) {
                throw new TfsFormatException("tuple of " + total + " bytes exceeds the metadata limit (maxMetadataBytes)",
                    in.absolute(recordAt));
              }
              pending = new Pending(total, encoding);
              pending.append(buf, dataAt, (int) seg, in.absolute(dataAt));
            }
            in.skip((int) seg);
            break;
          }
          case TfsFormat.TUPLE_EXTENDED: {
            if (pending == null) {
              throw new TfsFormatException("TUPLE_EXTENDED without a pending tuple", in.absolute(recordAt));
            }
            int segAt = in.pos();
            long seg = in.readVarint();
            if (seg > pending.missing() || seg > in.remaining()) {
              throw new TfsFormatException("TUPLE_EXTENDED of " + seg + " bytes is longer than the "
                  + Math.min(pending.missing(), in.remaining()) + " bytes it may hold", in.absolute(segAt));
            }
            int dataAt = in.pos();
            pending.append(buf, dataAt, (int) seg, in.absolute(dataAt));
            in.skip((int) seg);
            if (pending.missing() == 0) {
              byte[] whole = pending.bytes.toByteArray();
              Pending split = pending;
              decoder.setOrigins((t, at) -> origins.add(t, split.absolute(at)));
              decode(decoder, whole, 0, whole.length, pending.encoding, 0, pending);
              pending = null;
            }
            break;
          }
          case TfsFormat.END_OF_SEGMENT:
            break;
          case TfsFormat.LOG_EXTENSION_LINK: {
            linkAt = in.absolute(recordAt);
            long next = in.readVarint();
            int countAt = in.pos();
            long count = in.readVarint();
            if (count == 0) {
              throw new TfsFormatException("log extension link with a block count of 0", in.absolute(countAt));
            }
            start = next;
            blocks = count;
            linked = true;
            break;
          }
          default:
            throw new TfsFormatException(String.format("unknown log record type 0x%02x", type), in.absolute(recordAt));
        }
      }
    }
  }

  private static String readLabel(ExtensionCursor in) throws TfsFormatException {
    int at = in.pos();
    ByteArrayOutputStream label = new ByteArrayOutputStream();
    while (true) {
      int b = in.readByte();
      if (b == 0) {
        return label.toString(StandardCharsets.UTF_8);
      }
      if (label.size() == TfsFormat.LABEL_MAX) {
        throw new TfsFormatException("volume label longer than " + TfsFormat.LABEL_MAX + " bytes", in.absolute(at));
      }
      label.write(b);
    }
  }

  private static void decode(TupleDecoder decoder, byte[] buf, int offset, int length, TupleEncoding encoding,
      long absoluteStart, Pending split) throws TfsFormatException {
    try {
      decoder.decodeRecord(buf, offset, length, encoding);
    } catch (TupleFormatException e) {
      long at = split == null ? absoluteStart + e.offset() : split.absolute(e.offset());
      throw new TfsFormatException("bad tuple: " + e.reason(), at, e);
    }
  }

  /** A tuple whose bytes arrive in several records; remembers where each piece sits on disk. */
  private static final class Pending {
    public final long total;
    public final TupleEncoding encoding;
    public final ByteArrayOutputStream bytes;
    public final List<long[]> pieces = new ArrayList<>(); // {offset in tuple, absolute offset}

    public Pending(long total, TupleEncoding encoding) {
      this.total = total;
      this.encoding = encoding;
      // A tree written as one tuple spans every extension: room for it at once, up to 4 MiB, saves
      // copying it again at each doubling. Not more: total is only what a few bytes of log claim.
      this.bytes = new ByteArrayOutputStream((int) Math.min(total, 1 << 22));
    }

    public long missing() {
      return total - bytes.size();
    }

    public void append(byte[] buf, int offset, int length, long absolute) {
      pieces.add(new long[] {bytes.size(), absolute});
      bytes.write(buf, offset, length);
    }

    public long absolute(long tupleOffset) {
      // Asked for every tuple the record creates: the last piece starting at or before the offset,
      // found by bisection over pieces that are in tuple order (one per extension the tuple spans).
      int lo = 0;
      int hi = pieces.size() - 1;
      while (lo < hi) {
        int mid = (lo + hi + 1) >>> 1;
        if (pieces.get(mid)[0] <= tupleOffset) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
      long[] best = pieces.get(lo);
      return best[1] + (tupleOffset - best[0]);
    }
  }

  /** Bounded reads over one extension's bytes. */
  private static final class ExtensionCursor {
    private final byte[] buf;
    private final long base;
    private int pos;

    public ExtensionCursor(byte[] buf, long base) {
      this.buf = buf;
      this.base = base;
    }

    public int pos() {
      return pos;
    }

    public int remaining() {
      return buf.length - pos;
    }

    public long absolute(int position) {
      return base + position;
    }

    public int readByte() throws TfsFormatException {
      if (pos >= buf.length) {
        throw new TfsFormatException("log extension ends in the middle of a record", absolute(pos));
      }
      return buf[pos++] & 0xff;
    }

    public byte[] readBytes(int n) throws TfsFormatException {
      if (n > remaining()) {
        throw new TfsFormatException("log extension ends in the middle of a record", absolute(pos));
      }
      byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
      pos += n;
      return out;
    }

    public void skip(int n) {
      pos += n;
    }

    public long readVarint() throws TfsFormatException {
      int at = pos;
      long v = 0;
      for (int i = 0; i < dev.nanokit.manifest.codec.Varint.MAX_LENGTH; i++) {
        int b = readByte();
        if ((v >>> 57) != 0) {
          throw new TfsFormatException("varint overflows 64 bits", absolute(at));
        }
        v = (v << 7) | (b & 0x7f);
        if ((b & 0x80) == 0) {
          // Every number in a log record is a length, a count or a block: none reaches 2^63, and one that
          // did would turn negative in the arithmetic that bounds it.
          if (v < 0) {
            throw new TfsFormatException("varint " + Long.toUnsignedString(v) + " is out of range (above 2^63 - 1)",
                absolute(at));
          }
          return v;
        }
      }
      throw new TfsFormatException("varint longer than 10 bytes", absolute(at));
    }
  }

  /**
   * Where each tuple was created, in creation order. Appending is all a read does (a hash map here
   * cost a quarter of a 50,000-file listing); the rare error that needs an offset scans for it.
   * Filled by one reader thread, then only read.
   */
  public static final class Origins {
    private Tuple[] tuples = new Tuple[64];
    private long[] offsets = new long[64];
    private int size;

    void add(Tuple tuple, long offset) {
      if (size == tuples.length) {
        tuples = Arrays.copyOf(tuples, size * 2);
        offsets = Arrays.copyOf(offsets, size * 2);
      }
      tuples[size] = tuple;
      offsets[size++] = offset;
    }

    /** The offset {@code tuple} was created at, or null. */
    Long of(Tuple tuple) {
      for (int i = size - 1; i >= 0; i--) {
        if (tuples[i] == tuple) {
          return offsets[i];
        }
      }
      return null;
    }
  }

  /**
   * Refuses, in words a user acts on, a file that is no TFS volume at all: an empty file, and
   * compressed data (a release or image still packed) — before the log's own checks would call the
   * first extension "outside the filesystem" or report a missing magic with no hint.
   */
  private static void whatItIsInstead(VolumeChannel volume) throws IOException {
    if (volume.size() == 0) {
      throw new TfsFormatException("empty file, not a TFS volume", volume.absolute(0));
    }
    byte[] head = new byte[(int) Math.min(volume.size(), 6)];
    volume.readFully(0, ByteBuffer.wrap(head));
    String packed = head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b ? "gzip"
        : startsWith(head, 0xFD, '7', 'z', 'X', 'Z', 0) ? "xz"
        : startsWith(head, 0x28, 0xB5, 0x2F, 0xFD) ? "zstd"
        : startsWith(head, 'B', 'Z', 'h') ? "bzip2" : null;
    if (packed != null) {
      throw new TfsFormatException("not a TFS volume: " + packed + "-compressed data (decompress it first)",
          volume.absolute(0));
    }
    if (!startsWith(head, 'N', 'V', 'M', 'T', 'F', 'S')) {
      throw new TfsFormatException("not a TFS volume: no NVMTFS magic", volume.absolute(0));
    }
  }

  private static boolean startsWith(byte[] head, int... magic) {
    if (head.length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((head[i] & 0xff) != magic[i]) {
        return false;
      }
    }
    return true;
  }
}
