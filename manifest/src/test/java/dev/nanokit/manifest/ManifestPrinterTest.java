package dev.nanokit.manifest;

import static dev.nanokit.testing.manifest.Values.t;
import static dev.nanokit.testing.manifest.Values.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.testing.manifest.RandomCases;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ManifestPrinterTest {
  private static final ManifestParser PARSER = new ManifestParser();

  /** Every character class the grammar treats specially, plus safe and non-ASCII ones. */
  private static final int[] CHARS = ("abzAZ09_.,+=@%-" + " \t\r\n()[]:|/\"\\#'$;é中😀\u0000")
      .codePoints().toArray();

  static String randomString(Random r) {
    int len = r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(r.nextBoolean() ? 3 : 12);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < len; i++) {
      sb.appendCodePoint(CHARS[r.nextInt(CHARS.length)]);
    }
    return sb.toString();
  }

  /** A random tree of what manifests can express: tuples, vectors and strings. */
  static Tuple randomTree(Random r) {
    return randomTuple(r, 0);
  }

  private static Tuple randomTuple(Random r, int depth) {
    Tuple t = new Tuple();
    int n = depth > 4 ? r.nextInt(2) : r.nextInt(6);
    for (int i = 0; i < n; i++) {
      t.put(randomString(r), randomValue(r, depth + 1));
    }
    return t;
  }

  private static Value randomValue(Random r, int depth) {
    int kind = r.nextInt(depth > 5 ? 1 : 4);
    switch (kind) {
      case 1:
        return randomTuple(r, depth);
      case 2: {
        VectorValue v = new VectorValue();
        for (int i = r.nextInt(5); i > 0; i--) {
          v.add(randomValue(r, depth + 1));
        }
        return v;
      }
      default:
        return StringValue.of(randomString(r));
    }
  }

  @Test
  void randomTreesRoundTripThroughBothForms() {
    RandomCases.run("manifest print/parse", 1000, (r, i) -> {
      Tuple tree = randomTree(r);
      try {
        String pretty = ManifestPrinter.print(tree);
        assertThat(PARSER.parse(pretty)).as(pretty).isEqualTo(tree);
        String compact = ManifestPrinter.printCompact(tree);
        assertThat(PARSER.parse(compact)).as(compact).isEqualTo(tree);
      } catch (ManifestSyntaxException e) {
        throw new AssertionError(e.getMessage() + " for " + tree, e);
      }
    });
  }

  @Test
  void readableFormIndentsNestedTuplesAndKeepsVectorsOnOneLine() {
    Tuple tree = t("children", t("bin", t()), "program", "/bin/hello",
        "arguments", v("/bin/hello", "--port", "8080", t("a", "b")), "empty", v());
    assertThat(ManifestPrinter.print(tree)).isEqualTo("""
        (
            children:(
                bin:()
            )
            program:"/bin/hello"
            arguments:["/bin/hello" --port 8080 (a:b)]
            empty:[]
        )
        """);
    assertThat(ManifestPrinter.print(t())).isEqualTo("()\n");
  }

  @Test
  void compactFormSeparatesWithOneSpaceAndNoneBeforeClosers() {
    Tuple tree = t("a", "b", "c", v("x", "y"), "d", t("e", "f"), "g", v(v(), t()));
    assertThat(ManifestPrinter.printCompact(tree)).isEqualTo("(a:b c:[x y] d:(e:f) g:[[] ()])");
    assertThat(ManifestPrinter.printCompact(StringValue.of("x y"))).isEqualTo("\"x y\"");
  }

  @Test
  void quotesEverythingOutsideTheSafeSet() {
    assertThat(ManifestPrinter.formatString("Az09_.,+=@%-")).isEqualTo("Az09_.,+=@%-");
    assertThat(ManifestPrinter.formatString("")).isEqualTo("\"\"");
    assertThat(ManifestPrinter.formatString("a b")).isEqualTo("\"a b\"");
    assertThat(ManifestPrinter.formatString("say \"hi\"")).isEqualTo("\"say \\\"hi\\\"\"");
    assertThat(ManifestPrinter.formatString("a\\b")).isEqualTo("\"a\\\\b\"");
    assertThat(ManifestPrinter.formatString("/x:y")).isEqualTo("\"/x:y\"");
    assertThat(ManifestPrinter.formatString("#c")).isEqualTo("\"#c\"");
    assertThat(ManifestPrinter.formatString("é")).isEqualTo("\"é\"");
    assertThat(ManifestPrinter.formatString("two\nlines")).isEqualTo("\"two\nlines\"");
  }

  @Test
  void emptyNamesAndStringsRoundTrip() throws Exception {
    Tuple tree = t("", "", "v", v("", "", t("", v())));
    assertThat(ManifestPrinter.printCompact(tree)).isEqualTo("(\"\":\"\" v:[\"\" \"\" (\"\":[])])");
    assertThat(PARSER.parse(ManifestPrinter.print(tree))).isEqualTo(tree);
  }

  @Test
  void nonManifestValuesPrintAsStrings() throws Exception {
    Tuple tree = new Tuple()
        .put("n", IntegerValue.of(-42))
        .put("flag", BufferValue.NULL_FLAG)
        .put("v4", BufferValue.of("/bin/x".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .put("bad", StringValue.ofBytes(new byte[] {'a', (byte) 0xff}));
    assertThat(ManifestPrinter.printCompact(tree)).isEqualTo("(n:-42 flag:t v4:\"/bin/x\" bad:\"a\uFFFD\")");
    assertThat(PARSER.parse(ManifestPrinter.print(tree)))
        .isEqualTo(t("n", "-42", "flag", "t", "v4", "/bin/x", "bad", "a\uFFFD"));
  }

  @Test
  void specExampleRoundTrips() throws Exception {
    Tuple tree = ManifestParserTest.specExampleTree();
    assertThat(PARSER.parse(ManifestPrinter.print(tree))).isEqualTo(tree);
  }

  @Test
  void cyclesAreRejected() {
    Tuple a = new Tuple();
    a.put("self", v(a));
    assertThatThrownBy(() -> ManifestPrinter.print(a))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cycle");
    // Sharing without a cycle is fine: the shared part is printed twice.
    Tuple shared = t("x", "y");
    assertThat(ManifestPrinter.printCompact(t("a", shared, "b", shared))).isEqualTo("(a:(x:y) b:(x:y))");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void deepTreesPrintWithoutRecursion() throws Exception {
    int n = 100_000;
    Tuple root = new Tuple();
    Tuple cursor = root;
    for (int i = 0; i < n; i++) {
      Tuple next = new Tuple();
      cursor.put("a", i % 2 == 0 ? next : v(next));
      cursor = next;
    }
    String compact = ManifestPrinter.printCompact(root);
    String pretty = ManifestPrinter.print(root);
    ManifestParser deep = PARSER.withMaxDepth(2 * n);
    assertThat(deep.parse(compact)).isEqualTo(root);
    assertThat(deep.parse(pretty)).isEqualTo(root);
    // Indentation is capped, so the readable form stays linear in the size of the tree.
    assertThat(pretty.length()).isLessThan(200 * n);
  }
}
