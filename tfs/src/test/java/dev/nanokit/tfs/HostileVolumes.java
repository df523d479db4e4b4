package dev.nanokit.tfs;

import dev.nanokit.manifest.IntegerValue;
import dev.nanokit.manifest.StringValue;
import dev.nanokit.manifest.Tuple;
import dev.nanokit.manifest.Value;
import dev.nanokit.manifest.VectorValue;
import dev.nanokit.manifest.codec.TupleEncoder;
import dev.nanokit.manifest.codec.TupleEncoding;
import dev.nanokit.testing.tfs.RawVolume;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generators for the classes of hostile volumes whose damage is in the <em>shape</em> of well-formed
 * metadata, which byte-flip mutants never produce: shared directory subtrees, shared configuration
 * values, extent arithmetic, sizes the volume cannot back, and names that are not UTF-8. Each volume
 * is built tuple by tuple with {@link TupleEncoder} (which writes an object met twice as a reference,
 * so sharing costs a few bytes) into a {@link RawVolume} of {@value #BLOCKS} blocks whose data area
 * starts at block {@value #DATA_BLOCK}.
 *
 * <p>Each case says what a correct reader must do with it: read it, or refuse it with a format
 * error whose message contains {@link Case#refusal()}. Not thread-safe: one generator per
 * {@link Random}.
 */
public final class HostileVolumes {
  public static final int BLOCKS = 96;
  public static final int EXTENSION_BLOCKS = 16;
  public static final int DATA_BLOCK = 1 + EXTENSION_BLOCKS;
  /** The file-size limit the generated cases are read with, so the legal ones read quickly. */
  public static final long MAX_FILE_BYTES = 4L << 20;

  /** The class of input, as the issue numbers them. */
  public enum Kind {
    SHARED_DIRECTORIES,
    SHARED_VALUES,
    EXTENT_ARITHMETIC,
    ABSURD_SIZES,
    NON_UTF8_NAMES
  }

  /**
   * A generated volume. {@code refusal} is null when it must read, empty when it may read or be
   * refused, else a fragment of the one-line format error it must be refused with;
   * {@code sharedValues} says the root configuration shares vectors or tuples.
   */
  public record Case(String description, byte[] image, String refusal, boolean sharedValues) {
    @Override
    public String toString() {
      return description;
    }
  }

  private HostileVolumes() {}

  public static Case generate(Kind kind, Random r) {
    return switch (kind) {
      case SHARED_DIRECTORIES -> sharedDirectories(r);
      case SHARED_VALUES -> sharedValues(r);
      case EXTENT_ARITHMETIC -> extentArithmetic(r);
      case ABSURD_SIZES -> absurdSizes(r);
      case NON_UTF8_NAMES -> nonUtf8Names(r);
    };
  }

  /**
   * A chain of directories where each level may name the next under several names (a DAG: 2^levels
   * paths), may name an ancestor (a cycle), and may share a file tuple under several names (a hard
   * link, legal). Only the volumes with no directory tuple reachable twice must read.
   */
  static Case sharedDirectories(Random r) {
    int levels = 1 + r.nextInt(r.nextBoolean() ? 40 : 6);
    Tuple file = fileWithData(r, 1 + r.nextInt(1000));
    Tuple rootChildren = new Tuple();
    Tuple root = new Tuple().put("children", rootChildren);
    boolean shared = false;
    boolean cycle = false;
    int links = 0;
    List<Tuple> chain = new ArrayList<>();
    chain.add(root);
    Tuple current = rootChildren;
    for (int i = 0; i < levels; i++) {
      Tuple nextChildren = new Tuple();
      Tuple dir = new Tuple().put("children", nextChildren);
      int names = r.nextInt(4) == 0 ? 2 + r.nextInt(3) : 1;
      shared |= names > 1;
      for (int k = 0; k < names; k++) {
        current.put("d" + i + "_" + k, dir);
      }
      if (r.nextInt(5) == 0) {
        current.put("f" + i, file);
        links++;
      }
      if (r.nextInt(25) == 0) {
        current.put("up" + i, chain.get(r.nextInt(chain.size())));
        cycle = true;
      }
      chain.add(dir);
      current = nextChildren;
    }
    if (links == 0 || r.nextBoolean()) {
      current.put("leaf", file);
      links++;
    }
    String refusal = cycle || shared ? "directory" : null;
    String description = "shared directories: " + levels + " levels, " + (shared ? "shared" : "unshared")
        + (cycle ? ", cycle" : "") + ", file under " + links + " names";
    return new Case(description, volume(root, r), refusal, false);
  }

  /**
   * A root configuration whose {@code arguments} is a vector whose elements are one vector, and
   * whose {@code environment} is a tuple whose keys name one tuple, each up to 40 levels: the
   * decoded graph is small, its expansion as text exponential.
   */
  static Case sharedValues(Random r) {
    int vectorDepth = r.nextInt(41);
    int tupleDepth = r.nextInt(25);
    Value arguments = StringValue.of("x");
    for (int i = 0; i < vectorDepth; i++) {
      VectorValue v = new VectorValue();
      for (int k = 1 + r.nextInt(3); k > 0; k--) {
        v.add(arguments);
      }
      arguments = v;
    }
    Value environment = new Tuple().put("HOME", "/");
    for (int i = 0; i < tupleDepth; i++) {
      Tuple t = new Tuple();
      for (int k = 1 + r.nextInt(3); k > 0; k--) {
        t.put("K" + k, environment);
      }
      environment = t;
    }
    Tuple root = new Tuple().put("children", new Tuple().put("prog", fileWithData(r, 10)))
        .put("arguments", arguments).put("environment", environment).put("program", "/prog");
    String description = "shared values: arguments " + vectorDepth + " deep, environment " + tupleDepth + " deep";
    return new Case(description, volume(root, r), null, true);
  }

  /** Offsets, lengths and file blocks from the edges of exact arithmetic, several extents per file. */
  static Case extentArithmetic(Random r) {
    long volumeBlocks = BLOCKS;
    long[] edges = {0, 1, 2, 7, DATA_BLOCK, volumeBlocks - 1, volumeBlocks, volumeBlocks + 1, 1L << 32,
        1L << 54, 1L << 55, (1L << 55) - 1, Long.MAX_VALUE / 512, Long.MAX_VALUE / 512 + 1, Long.MAX_VALUE - 1,
        Long.MAX_VALUE};
    Tuple extents = new Tuple();
    int n = 1 + r.nextInt(4);
    StringBuilder d = new StringBuilder("extent arithmetic:");
    for (int i = 0; i < n; i++) {
      long fileBlock = pick(r, edges);
      long offset = r.nextBoolean() ? DATA_BLOCK + r.nextInt(BLOCKS - DATA_BLOCK) : pick(r, edges);
      long length = r.nextBoolean() ? 1 + r.nextInt(8) : pick(r, edges);
      Tuple x = new Tuple().put("offset", number(r, offset)).put("length", number(r, length));
      if (r.nextInt(4) == 0) {
        x.put("allocated", number(r, r.nextBoolean() ? length + r.nextInt(4) : pick(r, edges)));
      }
      if (r.nextInt(6) == 0) {
        x.put("uninited", dev.nanokit.manifest.BufferValue.NULL_FLAG);
      }
      extents.put(Long.toString(fileBlock), x);
      d.append(" [").append(fileBlock).append(' ').append(offset).append('+').append(length).append(']');
    }
    long length = r.nextBoolean() ? r.nextInt(20_000) : pick(r, edges) * (r.nextBoolean() ? 1 : 512);
    if (length < 0) {
      length = Long.MAX_VALUE;
    }
    d.append(" filelength ").append(length);
    Tuple file = new Tuple().put("filelength", number(r, length)).put("extents", extents);
    Tuple root = new Tuple().put("children", new Tuple().put("f", file).put("g", file));
    return new Case(d.toString(), volume(root, r), "", false);
  }

  /**
   * One real extent and a {@code filelength} from a few bytes to 2^63-1, as an integer or as decimal
   * text, including text that does not fit a signed 64-bit value.
   */
  static Case absurdSizes(Random r) {
    String[] lengths = {"9223372036854775808", "18446744073709551615", "99999999999999999999", "9223372036854775807",
        Long.toString(1L << 62), Long.toString((1L << 40) + 1), Long.toString(1L << 40), Long.toString(MAX_FILE_BYTES),
        Long.toString(MAX_FILE_BYTES + 1), "0", "512", "1000", Long.toString(2L << 20)};
    String text = lengths[r.nextInt(lengths.length)];
    boolean fits = text.length() < 19 || text.length() == 19 && text.compareTo("9223372036854775807") <= 0;
    boolean asText = r.nextBoolean() || !fits;
    String refusal;
    if (!fits) {
      refusal = "does not fit in 64 signed bits";
    } else if (Long.parseLong(text) > MAX_FILE_BYTES) {
      refusal = "(maxFileBytes)";
    } else {
      refusal = null;
    }
    Value filelength = asText ? StringValue.of(text) : IntegerValue.of(Long.parseLong(text));
    return new Case("absurd size: filelength " + (asText ? "\"" + text + "\"" : text), fileOfLength(filelength, r),
        refusal, false);
  }

  /** A volume whose one file {@code /big} claims {@code filelength} and has one real extent. */
  public static byte[] fileOfLength(Value filelength, Random r) {
    int blocks = 1 + r.nextInt(8);
    Tuple extents = new Tuple().put(Long.toString(r.nextInt(4)), new Tuple()
        .put("offset", IntegerValue.of(DATA_BLOCK + r.nextInt(BLOCKS - DATA_BLOCK - blocks)))
        .put("length", IntegerValue.of(blocks)));
    Tuple file = new Tuple().put("filelength", filelength).put("extents", extents);
    Tuple root = new Tuple().put("children", new Tuple().put("big", file));
    return volume(root, r);
  }

  /**
   * Root entries named by byte strings, some of them not UTF-8 ({@code FF}, {@code FE}, overlong
   * forms, surrogates, truncated sequences) that a lenient decoder would merge into U+FFFD.
   */
  static Case nonUtf8Names(Random r) {
    byte[][] pool = {{(byte) 0xFF}, {(byte) 0xFE}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {(byte) 0xE2, (byte) 0x82}, {'a', (byte) 0xFF}, {(byte) 0x80}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80},
        "é".getBytes(StandardCharsets.UTF_8), "€".getBytes(StandardCharsets.UTF_8), {'o', 'k'}, {'z'}};
    int n = 1 + r.nextInt(4);
    List<byte[]> names = new ArrayList<>();
    while (names.size() < n) {
      byte[] candidate = pool[r.nextInt(pool.length)];
      if (names.stream().noneMatch(b -> java.util.Arrays.equals(b, candidate))) {
        names.add(candidate);
      }
    }
    StringBuilder d = new StringBuilder("names:");
    for (byte[] name : names) {
      d.append(' ').append(hex(name));
    }
    boolean bad = names.stream().anyMatch(b -> !isUtf8(b));
    return new Case(d.toString(), rootEntriesNamed(names, r), bad ? "is not UTF-8" : null, false);
  }

  /** A volume whose root lists one small file under each of {@code names}, written byte for byte. */
  public static byte[] rootEntriesNamed(List<byte[]> names, Random r) {
    // Encode ASCII placeholders of the same lengths, then overwrite them with the real bytes; retry
    // until every placeholder occurs exactly once in the record.
    for (int attempt = 0; attempt < 1000; attempt++) {
      Tuple children = new Tuple();
      List<String> placeholders = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) {
        String placeholder = placeholder(r, names.get(i).length);
        placeholders.add(placeholder);
        children.put(placeholder, fileWithData(r, 1 + r.nextInt(100)));
      }
      if (children.size() < names.size()) {
        continue;
      }
      byte[] record = new TupleEncoder(TupleEncoding.V5).encodeRecord(new Tuple().put("children", children));
      int[] at = new int[names.size()];
      boolean unique = true;
      for (int i = 0; i < names.size() && unique; i++) {
        byte[] p = placeholders.get(i).getBytes(StandardCharsets.US_ASCII);
        at[i] = indexOf(record, p);
        unique = at[i] >= 0 && indexOf(record, p, at[i] + 1) < 0;
      }
      if (!unique) {
        continue;
      }
      for (int i = 0; i < names.size(); i++) {
        System.arraycopy(names.get(i), 0, record, at[i], names.get(i).length);
      }
      return new RawVolume(BLOCKS, "", 5, EXTENSION_BLOCKS).tuple(record).data(DATA_BLOCK, randomBytes(r, 512 * 8))
          .build();
    }
    throw new AssertionError("no unique placeholders found for " + names.size() + " names");
  }

  /** A name of {@code length} random letters, to be overwritten with the real bytes. */
  private static String placeholder(Random r, int length) {
    String letters = "GHJKMNPQRTUVWXYZghjkmnpqrtuvwxyz";
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      sb.append(letters.charAt(r.nextInt(letters.length())));
    }
    return sb.toString();
  }

  private static boolean isUtf8(byte[] b) {
    try {
      StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b));
      return true;
    } catch (java.nio.charset.CharacterCodingException e) {
      return false;
    }
  }

  static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      sb.append(String.format("%02x", x & 0xff));
    }
    return sb.toString();
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    return indexOf(hay, needle, 0);
  }

  private static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = from; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static long pick(Random r, long[] values) {
    return values[r.nextInt(values.length)];
  }

  /** An integer, or the decimal text ops writes (docs/formats/tfs.md, "4.4 Which type to use for what (v5)"). */
  private static Value number(Random r, long n) {
    return r.nextBoolean() ? IntegerValue.of(n) : StringValue.of(Long.toString(n));
  }

  /** A file of {@code length} bytes in one extent in the data area. */
  private static Tuple fileWithData(Random r, int length) {
    int blocks = (length + 511) / 512;
    return new Tuple().put("filelength", IntegerValue.of(length)).put("extents", new Tuple().put("0", new Tuple()
        .put("offset", IntegerValue.of(DATA_BLOCK + r.nextInt(BLOCKS - DATA_BLOCK - blocks)))
        .put("length", IntegerValue.of(blocks))));
  }

  private static byte[] volume(Tuple root, Random r) {
    byte[] record = new TupleEncoder(TupleEncoding.V5).encodeRecord(root);
    return new RawVolume(BLOCKS, "", 5, EXTENSION_BLOCKS).tuple(record).data(DATA_BLOCK, randomBytes(r, 512 * 8)).build();
  }

  private static byte[] randomBytes(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }
}
