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

  /** The root tuple of docs/formats/tfs.md, "11.1 One directory, one small file (fresh log, ops layout, v5)" (block 1, bytes 0x20C–0x27C). */
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
    // "5.4 Numbering example": seventeen objects numbered, the next one would be 18.
    assertThat(encoder.counter()).isEqualTo(17);
  }

  /** docs/formats/tfs.md, "11.3 Version 4 encoding of a similar tree (as written by ops with `TFSv4`)": the same tree as ops writes it with TFSv4. */
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

  /** The header table of docs/formats/tfs.md, "4.1 Header, version 5" and "4.2 Header, version 4 (legacy, read support)", produced through values the encoder writes. */
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

  /** docs/formats/tfs.md, "11.2 What a kernel mount appends": the records a kernel appends, from an encoder continuing the "11.1 One directory, one small file (fresh log, ops layout, v5)" log. */
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

  @Test
  void aSharedVectorIsWrittenOnceThenReferenced() {
    TupleEncoder v5 = new TupleEncoder(TupleEncoding.V5);
    assertThat(v5.encoding()).isSameAs(TupleEncoding.V5);
    VectorValue vec = VectorValue.of(StringValue.of("x"));
    Tuple root = Tuple.empty().put("a", vec).put("b", vec);
    assertThat(Hex.format(v5.encodeRecord(root))).isEqualTo(Hex.format(Hex.bytes("92 81 'a' A1 C1 'x' 81 'b' 20 03")));
    assertThat(v5.isKnown(vec)).isTrue();
    assertThat(v5.isKnown(root)).isTrue();
    assertThat(v5.isKnown(VectorValue.of(StringValue.of("x")))).isFalse();
    // Version 4 has no vectors: a tuple keyed "0", "1", … stands in, and integers are text.
    TupleEncoder v4 = new TupleEncoder(TupleEncoding.V4);
    Tuple root4 = Tuple.empty().put("a", vec).put("b", vec).put("i", IntegerValue.of(-12));
    assertThat(Hex.format(v4.encodeRecord(root4)))
        .isEqualTo(Hex.format(Hex.bytes("C3 81 'a' C1 81 '0' 81 'x' 81 'b' 40 03 81 'i' 83 '-12'")));
    assertThat(v4.counter()).isEqualTo(6);
  }

  @Test
  void updatesOfANewTargetCreateItAndTheNextOnesReferenceIt() {
    TupleEncoder encoder = new TupleEncoder(TupleEncoding.V5);
    Tuple target = Tuple.empty();
    assertThat(Hex.format(encoder.encodeUpdate(target, "k", StringValue.of("v"))))
        .isEqualTo(Hex.format(Hex.bytes("91 81 'k' C1 'v'")));
    assertThat(encoder.isKnown(target)).isTrue();
    assertThat(encoder.counter()).isEqualTo(2);
    assertThat(Hex.format(encoder.encodeUpdate(target, "k", IntegerValue.of(Long.MIN_VALUE))))
        .isEqualTo(Hex.format(Hex.bytes("11 01 02 B1 81 80 80 80 80 80 80 80 80 00")));
    assertThat(Hex.format(encoder.encodeRemoval(target, "k"))).isEqualTo("11 01 02 80");
    Tuple other = Tuple.empty();
    assertThat(Hex.format(encoder.encodeRemoval(other, "gone"))).isEqualTo(Hex.format(Hex.bytes("91 84 'gone' 80")));
    assertThat(encoder.counter()).isEqualTo(4);
    // A known tuple re-encoded whole is a reference followed by all its entries.
    target.put("k", "w").put("n", "1");
    assertThat(Hex.format(encoder.encodeRecord(target))).isEqualTo(Hex.format(Hex.bytes("12 01 02 C1 'w' 81 'n' C1 '1'")));
  }

  @Test
  void aContinuingEncoderKnowsEveryNameAndObjectOfTheLog() throws Exception {
    TupleDictionary dictionary = new TupleDictionary();
    byte[] log = Hex.bytes("92 81 'a' A1 C1 'x' 81 'b' 90");
    Tuple root = new TupleDecoder(dictionary).decodeRecord(log, 0, log.length, TupleEncoding.V5);
    TupleEncoder encoder = TupleEncoder.continuing(dictionary, TupleEncoding.V5);
    assertThat(encoder.counter()).isEqualTo(5);
    assertThat(encoder.isKnown(root)).isTrue();
    assertThat(encoder.isKnown(root.get("a"))).isTrue();
    assertThat(encoder.isKnown(root.get("b"))).isTrue();
    // 'b' is name #4 and its tuple #5; 'a' is #2.
    assertThat(Hex.format(encoder.encodeUpdate(root.getTuple("b"), "a", StringValue.of("y"))))
        .isEqualTo(Hex.format(Hex.bytes("11 05 02 C1 'y'")));
    assertThat(Hex.format(encoder.encodeUpdate(root, "c", StringValue.of("z"))))
        .isEqualTo(Hex.format(Hex.bytes("11 01 81 'c' C1 'z'")));
    assertThat(encoder.counter()).isEqualTo(6);
  }
}
