package dev.nanokit.manifest.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.manifest.BufferValue;
import dev.nanokit.manifest.IntegerValue;
import dev.nanokit.manifest.StringValue;
import dev.nanokit.manifest.Tuple;
import dev.nanokit.manifest.Value;
import dev.nanokit.manifest.VectorValue;
import dev.nanokit.testing.manifest.Hex;
import org.junit.jupiter.api.Test;

class TupleEncoderTest {

  /** The root tuple of docs/formats/tfs.md §11.1 (block 1, bytes 0x20C–0x27C). */
  static Tuple example111() {
    Tuple extent = Tuple.empty()
        .put("offset", IntegerValue.of(1025))
        .put("length", IntegerValue.of(1))
        .put("allocated", IntegerValue.of(1));
    Tuple file = Tuple.empty()
        .put("filelength", IntegerValue.of(3))
        .put("extents", Tuple.empty().put("0", extent));
    Tuple etc = Tuple.empty().put("children", Tuple.empty().put("hello.txt", file));
    return Tuple.empty()
        .put("children", Tuple.empty().put("etc", etc))
        .put("program", "/etc/hello.txt");
  }

  static final String EXAMPLE_111_BYTES =
      "92 88 08 'children' 91 83 'etc' 91 02 91 88 09 'hello.txt' 92 88 0A 'filelength' B0 03"
          + " 87 'extents' 91 81 '0' 93 86 'offset' B0 88 01 86 'length' B0 01 88 09 'allocated' B0 01"
          + " 87 'program' C8 0E '/etc/hello.txt'";

  @Test
  void encodesTheOneDirectoryOneFileExampleByteForByte() {
    TupleEncoder encoder = new TupleEncoder(TupleEncoding.V5);
    byte[] encoded = encoder.encodeRecord(example111());
    assertThat(Hex.format(encoded)).isEqualTo(Hex.format(Hex.bytes(EXAMPLE_111_BYTES)));
    assertThat(encoded).hasSize(113);
    // §5.4: seventeen objects numbered, the next one would be 18.
    assertThat(encoder.counter()).isEqualTo(17);
  }

  /** docs/formats/tfs.md §11.3: the same tree as ops writes it with TFSv4. */
  @Test
  void encodesTheVersion4ExampleByteForByte() {
    Tuple extent = Tuple.empty()
        .put("length", IntegerValue.of(1))
        .put("offset", IntegerValue.of(1025))
        .put("allocated", IntegerValue.of(1));
    Tuple file = Tuple.empty()
        .put("extents", Tuple.empty().put("0", extent))
        .put("filelength", IntegerValue.of(3));
    Tuple root = Tuple.empty()
        .put("children", Tuple.empty().put("etc", Tuple.empty().put("children", Tuple.empty().put("hello.txt", file))))
        .put("arguments", VectorValue.of(StringValue.of("/etc/hello.txt"), StringValue.of("x")))
        .put("environment", Tuple.empty())
        .put("program", "/etc/hello.txt");

    byte[] encoded = new TupleEncoder(TupleEncoding.V4).encodeRecord(root);

    String expected = "C4 88 'children' C1 83 'etc' C1 02 C1 89 'hello.txt' C2 87 'extents' C1 81 '0' C3"
        + " 86 'length' 81 '1' 86 'offset' 84 '1025' 89 'allocated' 81 '1' 8A 'filelength' 81 '3'"
        + " 89 'arguments' C2 0B 8E '/etc/hello.txt' 81 '1' 81 'x' 8B 'environment' C0"
        + " 87 'program' 8E '/etc/hello.txt'";
    assertThat(Hex.format(encoded)).isEqualTo(Hex.format(Hex.bytes(expected)));
    assertThat(encoded).hasSize(154);
  }

  /** The header table of docs/formats/tfs.md §4.1 and §4.2, produced through values the encoder writes. */
  @Test
  void writesCanonicalHeaders() {
    assertThat(encodeValue(TupleEncoding.V5, StringValue.of("x".repeat(14)))).startsWith("C8 0E 78");
    assertThat(encodeValue(TupleEncoding.V5, StringValue.of("x".repeat(1024)))).startsWith("C8 88 00 78");
    assertThat(encodeValue(TupleEncoding.V5, VectorValue.of(StringValue.of("a"), StringValue.of("b"), StringValue.of("c"))))
        .startsWith("A3 C1 61");
    assertThat(encodeValue(TupleEncoding.V5, IntegerValue.of(3))).isEqualTo("B0 03");
    assertThat(encodeValue(TupleEncoding.V5, IntegerValue.of(1025))).isEqualTo("B0 88 01");
    assertThat(encodeValue(TupleEncoding.V5, IntegerValue.of(-5))).isEqualTo("B1 05");
    assertThat(encodeValue(TupleEncoding.V5, BufferValue.NULL_FLAG)).isEqualTo("81 00");
    assertThat(encodeValue(TupleEncoding.V5, Tuple.empty())).isEqualTo("90");
    assertThat(encodeValue(TupleEncoding.V5, StringValue.of(""))).isEqualTo("C0");
    assertThat(encodeValue(TupleEncoding.V4, StringValue.of("y".repeat(31)))).startsWith("9F 79");
    assertThat(encodeValue(TupleEncoding.V4, StringValue.of("y".repeat(32)))).startsWith("A0 20 79");
    assertThat(encodeValue(TupleEncoding.V4, Tuple.empty())).isEqualTo("C0");
  }

  /** Encodes {@code value} as the only entry of a fresh tuple, returning the value's bytes. */
  private static String encodeValue(TupleEncoding encoding, Value value) {
    byte[] all = new TupleEncoder(encoding).encodeRecord(Tuple.empty().put("k", value));
    // header (1) + immediate name 'k' (2)
    byte[] v = java.util.Arrays.copyOfRange(all, 3, all.length);
    return Hex.format(v);
  }

  @Test
  void referencesNamesAndObjectsAlreadyEmitted() {
    TupleEncoder encoder = new TupleEncoder(TupleEncoding.V5);
    Tuple shared = Tuple.empty().put("x", "1");
    Tuple root = Tuple.empty().put("a", shared).put("b", shared).put("x", "2");
    byte[] encoded = encoder.encodeRecord(root);
    // #1 root, #2 'a', #3 shared, #4 'x', #5 'b' then a 0-entry reference to #3, then name ref #4.
    assertThat(Hex.format(encoded))
        .isEqualTo(Hex.format(Hex.bytes("93 81 'a' 91 81 'x' C1 '1' 81 'b' 10 03 04 C1 '2'")));
  }

  /** docs/formats/tfs.md §11.2: the records a kernel appends, from an encoder continuing the §11.1 log. */
  @Test
  void encodesKernelStyleUpdatesContinuingALog() throws Exception {
    TupleDictionary dictionary = new TupleDictionary();
    byte[] log = Hex.bytes(EXAMPLE_111_BYTES);
    Tuple root = new TupleDecoder(dictionary).decodeRecord(log, 0, log.length, TupleEncoding.V5);
    TupleEncoder encoder = TupleEncoder.continuing(dictionary, TupleEncoding.V5);
    Tuple etcChildren = root.getTuple("children").getTuple("etc").getTuple("children");

    assertThat(Hex.format(encoder.encodeRemoval(etcChildren, "hello.txt"))).isEqualTo("11 06 07 80");

    long t = 0x6592008000000000L;
    Tuple proc = Tuple.empty()
        .put("atime", IntegerValue.of(t))
        .put("mtime", IntegerValue.of(t))
        .put("children", Tuple.empty());
    byte[] create = encoder.encodeUpdate(root.getTuple("children"), "proc", proc);
    assertThat(Hex.format(create)).isEqualTo(Hex.format(Hex.bytes(
        "11 03 84 'proc' 93 85 'atime' B0 E5 C9 80 90 80 80 80 80 00"
            + " 85 'mtime' B0 E5 C9 80 90 80 80 80 80 00 02 90")));
    assertThat(create).hasSize(42);
    assertThat(encoder.counter()).isEqualTo(22);
  }

  @Test
  void refusesAnEmptyStringInVersion4() {
    TupleEncoder encoder = new TupleEncoder(TupleEncoding.V4);
    assertThatThrownBy(() -> encoder.encodeRecord(Tuple.empty().put("ipaddr", "")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("v4");
  }
}
