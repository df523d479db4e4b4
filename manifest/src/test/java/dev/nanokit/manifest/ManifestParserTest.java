package dev.nanokit.manifest;

import static dev.nanokit.testing.manifest.Values.t;
import static dev.nanokit.testing.manifest.Values.v;
import static dev.nanokit.testing.manifest.Values.val;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nanokit.testing.manifest.RandomCases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManifestParserTest {
  private static final ManifestParser PARSER = new ManifestParser();

  private static Tuple parse(String text) throws ManifestSyntaxException {
    return PARSER.parse(text);
  }

  private static ManifestSyntaxException error(String text) {
    return catchThrowableOfType(ManifestSyntaxException.class, () -> PARSER.parse(text, "m.txt"));
  }

  // ---- "1.3 Grammar" grammar and quirks -------------------------------------------------------------

  @Test
  void parsesTuplesVectorsAndStrings() throws Exception {
    assertThat(parse("(a:b c:(d:e) f:[g h])")).isEqualTo(t("a", "b", "c", t("d", "e"), "f", v("g", "h")));
    assertThat(parse("()")).isEqualTo(t());
    assertThat(parse("(a:() b:[])")).isEqualTo(t("a", t(), "b", v()));
  }

  @Test
  void commentsOnlyWhereWhitespaceIsSkipped() throws Exception {
    assertThat(parse("# head\n(# after paren\na:b # after value\n # before name\nc #between name and colon\n:d)"))
        .isEqualTo(t("a", "b", "c", "d"));
    // Inside bare words and quoted strings '#' is an ordinary character.
    assertThat(parse("(a:b#c d#e:\"f#g\")")).isEqualTo(t("a", "b#c", "d#e", "f#g"));
    assertThat(parse("(v:[a#b])")).isEqualTo(t("v", v("a#b")));
    // Between ':' and a string value whitespace and comments are skipped.
    assertThat(parse("(a: # comment\n   b)")).isEqualTo(t("a", "b"));
    // A comment may run to the end of the input.
    assertThat(parse("(a:b)# trailing")).isEqualTo(t("a", "b"));
  }

  @Test
  void bareNameStopsAtSigilsThatMustBeColon() {
    assertThat(error("(a|b:c)").getMessage()).isEqualTo("m.txt:1:3: unknown property discriminator 124");
    assertThat(error("(a/b:c)").getMessage()).isEqualTo("m.txt:1:3: unknown property discriminator 47");
    assertThat(error("(a b:c)").getMessage()).isEqualTo("m.txt:1:4: unknown property discriminator 98");
    assertThat(error("(a)").getMessage()).isEqualTo("m.txt:1:3: unknown property discriminator 41");
    assertThat(error("(a[:b)").getMessage()).isEqualTo("m.txt:1:3: unknown property discriminator 91");
    assertThat(error("(])").getMessage()).isEqualTo("m.txt:1:2: unknown property discriminator 93");
    assertThat(error("(\"a\"b:c)").getMessage()).isEqualTo("m.txt:1:5: unknown property discriminator 98");
  }

  @Test
  void namesMayBeQuotedEmptyOrContainLiteralQuotes() throws Exception {
    assertThat(parse("(\"a/b|c d\":x)")).isEqualTo(t("a/b|c d", "x"));
    assertThat(parse("(:x \"\":y)")).isEqualTo(t("", "y"));
    assertThat(parse("(a\"b:c a#b:d)")).isEqualTo(t("a\"b", "c", "a#b", "d"));
    assertThat(parse("(a  :b \"q\"\n:c)")).isEqualTo(t("a", "b", "q", "c"));
  }

  @Test
  void bareValueStopsOnlyAtWhitespaceAndBrackets() throws Exception {
    assertThat(parse("(a:x:y/z|w#v\"u b:c)")).isEqualTo(t("a", "x:y/z|w#v\"u", "b", "c"));
    assertThat(parse("(a:)")).isEqualTo(t("a", ""));
    assertThat(parse("(a: )")).isEqualTo(t("a", ""));
    assertThat(parse("(a:\n)")).isEqualTo(t("a", ""));
    assertThat(parse("(a:b\tc:d\re:f\r\n)")).isEqualTo(t("a", "b", "c", "d", "e", "f"));
  }

  @Test
  void aBracketRightAfterABareValueIsReadAsAName() {
    assertThat(error("(a:b(c:d))").getMessage()).isEqualTo("m.txt:1:5: unknown property discriminator 40");
    assertThat(error("(a:b[c])").getMessage()).isEqualTo("m.txt:1:5: unknown property discriminator 91");
    assertThat(error("(a:b])").getMessage()).isEqualTo("m.txt:1:5: unknown property discriminator 93");
  }

  @Test
  void noWhitespaceAllowedBetweenColonAndBracket() throws Exception {
    assertThat(parse("(a:(b:c) d:[e])")).isEqualTo(t("a", t("b", "c"), "d", v("e")));
    // The space starts a string value that ends empty at '(' and '(' then starts an empty name.
    assertThat(error("(a: (b:c))").getMessage()).isEqualTo("m.txt:1:5: unknown property discriminator 40");
    assertThat(error("(a: [b])").getMessage()).isEqualTo("m.txt:1:5: unknown property discriminator 91");
    assertThat(error("(a:\n  (b:c))").getMessage()).isEqualTo("m.txt:2:3: unknown property discriminator 40");
    assertThat(error("(a:#c\n(b:c))").getMessage()).isEqualTo("m.txt:2:1: unknown property discriminator 40");
  }

  @Test
  void whitespaceBeforeClosingBracketAddsAnEmptyElement() throws Exception {
    assertThat(parse("(v:[a b])")).isEqualTo(t("v", v("a", "b")));
    assertThat(parse("(v:[a b ])")).isEqualTo(t("v", v("a", "b", "")));
    assertThat(parse("(v:[ a b])")).isEqualTo(t("v", v("a", "b")));
    assertThat(parse("(v:[a   b])")).isEqualTo(t("v", v("a", "b")));
    assertThat(parse("(v:[a\n])")).isEqualTo(t("v", v("a", "")));
    assertThat(parse("(v:[a #c\n])")).isEqualTo(t("v", v("a", "")));
    assertThat(parse("(v:[])")).isEqualTo(t("v", v()));
    assertThat(parse("(v:[ ])")).isEqualTo(t("v", v()));
    assertThat(parse("(v:[ # c\n ])")).isEqualTo(t("v", v()));
  }

  @Test
  void closedElementsConsumeTheirEndButNotFollowingWhitespace() throws Exception {
    assertThat(parse("(v:[\"a\" \"b\"])")).isEqualTo(t("v", v("a", "b")));
    assertThat(parse("(v:[\"a\"\"b\"])")).isEqualTo(t("v", v("a", "b")));
    assertThat(parse("(v:[\"a\" ])")).isEqualTo(t("v", v("a", "")));
    assertThat(parse("(v:[(a:b) c])")).isEqualTo(t("v", v(t("a", "b"), "c")));
    assertThat(parse("(v:[(a:b)])")).isEqualTo(t("v", v(t("a", "b"))));
    assertThat(parse("(v:[(a:b) ])")).isEqualTo(t("v", v(t("a", "b"), "")));
    assertThat(parse("(v:[[x] ])")).isEqualTo(t("v", v(v("x"), "")));
    // A bracket ends a bare element and starts the next one.
    assertThat(parse("(v:[a(b:c)d])")).isEqualTo(t("v", v("a", t("b", "c"), "d")));
    assertThat(parse("(v:[a[b]])")).isEqualTo(t("v", v("a", v("b"))));
    assertThat(parse("(v:[a:b/c|d\"e])")).isEqualTo(t("v", v("a:b/c|d\"e")));
  }

  @Test
  void closingParenInsideVectorIsRejectedInsteadOfLooping() {
    assertThat(error("(v:[a)])").getMessage()).isEqualTo("m.txt:1:6: ')' inside a vector (expected an element or ']')");
    assertThat(error("(v:[)])").getMessage()).startsWith("m.txt:1:5: ')' inside a vector");
    assertThat(error("(v:[a )])").getMessage()).startsWith("m.txt:1:7: ')' inside a vector");
    assertThat(error("(v:[(a:b))])").getMessage()).startsWith("m.txt:1:10: ')' inside a vector");
    assertThat(error("(v:[\n)")).satisfies(e -> assertThat(e.line()).isEqualTo(2));
  }

  @Test
  void duplicateNamesReplace() throws Exception {
    Tuple r = parse("(a:1 b:x a:2 b:(c:d))");
    assertThat(r).isEqualTo(t("a", "2", "b", t("c", "d")));
    assertThat(r.size()).isEqualTo(2);
  }

  @Test
  void lastOfSeveralTopLevelTuplesWins() throws Exception {
    assertThat(parse("(a:1) # one\n(b:2)\n\n(c:3)\n")).isEqualTo(t("c", "3"));
    assertThat(PARSER.parseAll("(a:1)(b:2)", null)).containsExactly(t("a", "1"), t("b", "2"));
  }

  @Test
  void anythingButATupleAtTopLevelIsParseTupleFail() {
    assertThat(error("x").getMessage()).isEqualTo("m.txt:1:1: parse_tuple fail, leading char 'x'");
    assertThat(error("(a:b)\n  [c]").getMessage()).isEqualTo("m.txt:2:3: parse_tuple fail, leading char '['");
    assertThat(error("(a:b))").getMessage()).isEqualTo("m.txt:1:6: parse_tuple fail, leading char ')'");
    assertThat(error("\n  {\"Args\": [\"x\"]}").getMessage()).isEqualTo("m.txt:2:3: this looks like JSON (an ops config?),"
        + " not manifest text: a manifest starts with '('");
    assertThat(error("(a:b) {").getMessage()).isEqualTo("m.txt:1:7: parse_tuple fail, leading char '{'");
    assertThat(error("\u0001").getMessage()).isEqualTo("m.txt:1:1: parse_tuple fail, leading char '\\u0001'");
    assertThat(error("é").getMessage()).isEqualTo("m.txt:1:1: parse_tuple fail, leading char 'é'");
  }

  @Test
  void quotedStringsTakeBackslashEscapesAndNewlines() throws Exception {
    assertThat(parse("(a:\"x\\\"y\\\\z\\n\" b:\"two\nlines\" c:\"\")"))
        .isEqualTo(t("a", "x\"y\\zn", "b", "two\nlines", "c", ""));
    assertThat(parse("(\"k\\:\":\"(a:b) [c]\")")).isEqualTo(t("k:", "(a:b) [c]"));
  }

  @Test
  void unterminatedQuotedStringPointsAtItsQuote() {
    ManifestSyntaxException e = error("(\n  a:b\n  long_name:\"value that never ends)\n");
    assertThat(e.getMessage()).isEqualTo("m.txt:3:13: unterminated quoted string");
    assertThat(e.fileName()).isEqualTo("m.txt");
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.column()).isEqualTo(13);
    assertThat(e.reason()).isEqualTo("unterminated quoted string");
    assertThat(error("(a:\"x\\").getMessage()).isEqualTo("m.txt:1:4: unterminated quoted string");
  }

  @Test
  void truncatedInputIsAnErrorEvenAfterACompleteTuple() {
    assertThat(error("(a:(b:c)").getMessage()).isEqualTo("m.txt:1:1: unterminated tuple (end of input before ')')");
    assertThat(error("(a:b)\n(c:[d e").getMessage()).isEqualTo("m.txt:2:4: unterminated vector (end of input before ']')");
    assertThat(error("(a").getMessage()).startsWith("m.txt:1:1: unterminated tuple");
    assertThat(error("(a:").getMessage()).startsWith("m.txt:1:1: unterminated tuple");
    assertThat(error("(a:b").getMessage()).startsWith("m.txt:1:1: unterminated tuple");
    assertThat(error("").getMessage()).isEqualTo("m.txt:1:1: no tuple in manifest (expected '(')");
    assertThat(error(" # only a comment\n").getMessage()).isEqualTo("m.txt:2:1: no tuple in manifest (expected '(')");
  }

  @Test
  void withoutFileNameTheMessageStartsWithTheLine() {
    ManifestSyntaxException e = catchThrowableOfType(ManifestSyntaxException.class, () -> PARSER.parse("(a"));
    assertThat(e.getMessage()).isEqualTo("1:1: unterminated tuple (end of input before ')')");
    assertThat(e.fileName()).isNull();
  }

  @Test
  void columnsCountCharactersNotBytesOrUtf16Units() {
    // '(' 1, U+1F600 2, ':' 3, 'a' 4, ' ' 5, 'b' 6, ')' 7.
    assertThat(error("(\uD83D\uDE00:a b)").getMessage()).isEqualTo("m.txt:1:7: unknown property discriminator 41");
    assertThat(error("(é:\tb c)").column()).isEqualTo(8);
  }

  @Test
  void unicodeNamesAndValues() throws Exception {
    assertThat(parse("(é:中 \"😀 x\":\"y z\")")).isEqualTo(t("é", "中", "😀 x", "y z"));
    assertThat(PARSER.parse("(a:中)".getBytes(StandardCharsets.UTF_8), null)).isEqualTo(t("a", "中"));
  }

  @Test
  void invalidUtf8IsAPositionedError() {
    byte[] bytes = {'(', 'a', ':', 'b', '\n', 'c', ':', (byte) 0xC3, '(', ')', ')'};
    ManifestSyntaxException e = catchThrowableOfType(ManifestSyntaxException.class, () -> PARSER.parse(bytes, "x"));
    assertThat(e.getMessage()).isEqualTo("x:2:3: invalid UTF-8 byte 0xC3");
    byte[] truncated = {'(', 'a', ':', (byte) 0xE4, (byte) 0xB8};
    assertThat(catchThrowableOfType(ManifestSyntaxException.class, () -> PARSER.parse(truncated, "x")).getMessage())
        .isEqualTo("x:1:4: truncated UTF-8 sequence 0xE4… at end of input");
    byte[] surrogate = {'(', 'a', ':', (byte) 0xED, (byte) 0xA0, (byte) 0x80, ')'};
    assertThat(catchThrowableOfType(ManifestSyntaxException.class, () -> PARSER.parse(surrogate, "x")).getMessage())
        .isEqualTo("x:1:4: invalid UTF-8 byte 0xED");
  }

  @Test
  void unpairedSurrogateInAJavaStringIsRejected() {
    assertThat(error("(a:b\uD800)").getMessage()).isEqualTo("m.txt:1:5: invalid character: unpaired UTF-16 surrogate");
  }

  @Test
  void readsFilesAndNamesThemInErrors(@TempDir Path dir) throws Exception {
    Path ok = dir.resolve("ok.manifest");
    Files.writeString(ok, "(program:/bin/x)\n");
    assertThat(PARSER.parse(ok)).isEqualTo(t("program", "/bin/x"));
    Path bad = dir.resolve("bad.manifest");
    Files.writeString(bad, "(\n  program /bin/x)\n");
    assertThatThrownBy(() -> PARSER.parse(bad))
        .isInstanceOf(ManifestSyntaxException.class)
        .hasMessage(bad + ":2:11: unknown property discriminator 47");
  }

  // ---- "1.6 Example" --------------------------------------------------------------------------------

  static final String SPEC_EXAMPLE = """
      # hello-world root filesystem
      (
          children:(
              bin:(children:(
                  hello:(contents:(host:/home/me/build/hello))
              ))
              etc:(children:(
                  "resolv.conf":(contents:(host:/tmp/resolv.conf))
                  passwd:(contents:(host:/tmp/passwd))
              ))
              lib64:(children:(
                  "ld-linux-x86-64.so.2":(contents:(host:/lib64/ld-linux-x86-64.so.2))
              ))
              usr:(children:(lib:(linktarget:/lib)))
          )
          program:/bin/hello
          arguments:[/bin/hello --port 8080]
          environment:(USER:root PWD:/ GREETING:"hello world")
          klibs:bootfs
          boot:(children:(
              kernel:(contents:(host:/home/me/.ops/0.1.50/kernel.img))
              klib:(children:(tls:(contents:(host:/home/me/.ops/0.1.50/klibs/tls))))
          ))
          imagesize:64M
      )
      """;

  static Tuple specExampleTree() {
    return t(
        "children", t(
            "bin", t("children", t("hello", t("contents", t("host", "/home/me/build/hello")))),
            "etc", t("children", t(
                "resolv.conf", t("contents", t("host", "/tmp/resolv.conf")),
                "passwd", t("contents", t("host", "/tmp/passwd")))),
            "lib64", t("children", t(
                "ld-linux-x86-64.so.2", t("contents", t("host", "/lib64/ld-linux-x86-64.so.2")))),
            "usr", t("children", t("lib", t("linktarget", "/lib")))),
        "program", "/bin/hello",
        "arguments", v("/bin/hello", "--port", "8080"),
        "environment", t("USER", "root", "PWD", "/", "GREETING", "hello world"),
        "klibs", "bootfs",
        "boot", t("children", t(
            "kernel", t("contents", t("host", "/home/me/.ops/0.1.50/kernel.img")),
            "klib", t("children", t("tls", t("contents", t("host", "/home/me/.ops/0.1.50/klibs/tls")))))),
        "imagesize", "64M");
  }

  @Test
  void parsesTheSpecExample() throws Exception {
    assertThat(parse(SPEC_EXAMPLE)).isEqualTo(specExampleTree());
  }

  // ---- parseValue (command-line values) ----------------------------------------------------

  @Test
  void parsesSingleValues() throws Exception {
    assertThat(PARSER.parseValue("t", null)).isEqualTo(StringValue.of("t"));
    assertThat(PARSER.parseValue("  (A:b) ", null)).isEqualTo(t("A", "b"));
    assertThat(PARSER.parseValue("[a b]", null)).isEqualTo(v("a", "b"));
    assertThat(PARSER.parseValue("\"hello world\"", null)).isEqualTo(StringValue.of("hello world"));
    assertThat(PARSER.parseValue("", null)).isEqualTo(StringValue.of(""));
    assertThat(PARSER.parseValue("/a:b#c", null)).isEqualTo(StringValue.of("/a:b#c"));
    assertThatThrownBy(() -> PARSER.parseValue("hello world", "--set"))
        .isInstanceOf(ManifestSyntaxException.class)
        .hasMessage("--set:1:7: unexpected 'w' after the value");
    assertThatThrownBy(() -> PARSER.parseValue(")", "--set")).hasMessage("--set:1:1: unexpected ')'");
    assertThatThrownBy(() -> PARSER.parseValue("(a:b", "--set")).hasMessageStartingWith("--set:1:1: unterminated tuple");
  }

  // ---- depth and hostile input -------------------------------------------------------------

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void deepNestingIsAnErrorNotAStackOverflow() {
    // "((" is not nesting: the second '(' would be read as a name ("1.3 Grammar").
    assertThat(error("((a:b))").getMessage()).isEqualTo("m.txt:1:2: unknown property discriminator 40");
    String deep = "(a:".repeat(100_000);
    assertThat(error(deep).getMessage()).isEqualTo("m.txt:1:3001: nesting deeper than 1000 levels");
    String deepVectors = "(a:" + "[".repeat(100_000) + "]".repeat(100_000) + ")";
    assertThat(error(deepVectors).getMessage()).isEqualTo("m.txt:1:1003: nesting deeper than 1000 levels");
    assertThat(error("(a:" + "(b:".repeat(100_000)).reason()).isEqualTo("nesting deeper than 1000 levels");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void depthLimitIsConfigurableAndTheParserIsIterative() throws Exception {
    assertThat(PARSER.maxDepth()).isEqualTo(ManifestParser.DEFAULT_MAX_DEPTH);
    ManifestParser shallow = PARSER.withMaxDepth(2);
    assertThat(shallow.parse("(a:(b:c))")).isEqualTo(t("a", t("b", "c")));
    assertThatThrownBy(() -> shallow.parse("(a:(b:[c]))")).hasMessage("1:7: nesting deeper than 2 levels");
    assertThatThrownBy(() -> PARSER.withMaxDepth(0)).isInstanceOf(IllegalArgumentException.class);

    int n = 100_000;
    String text = "(a:".repeat(n) + "()" + ")".repeat(n);
    Tuple deep = PARSER.withMaxDepth(n + 1).parse(text);
    Tuple cursor = deep;
    for (int i = 0; i < n; i++) {
      cursor = cursor.getTuple("a");
    }
    assertThat(cursor.isEmpty()).isTrue();
  }

  private static final String GARBAGE_ALPHABET = "()[]():::|/\"\\#  \t\r\n\n abcé中😀x_.-";

  /** Either a tuple or a ManifestSyntaxException with a sane position: nothing else, ever. */
  private static void parsesOrRejects(String text) {
    try {
      PARSER.parse(text, "g");
    } catch (ManifestSyntaxException e) {
      assertThat(e.line()).isPositive();
      assertThat(e.column()).isPositive();
      assertThat(e.getMessage()).doesNotContain("\n").startsWith("g:");
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void randomGarbageOnlyEverGivesManifestSyntaxException() {
    RandomCases.run("manifest garbage", 2000, (r, i) -> {
      int[] cps = GARBAGE_ALPHABET.codePoints().toArray();
      StringBuilder sb = new StringBuilder();
      if (r.nextBoolean()) {
        sb.append('(');
      }
      int len = r.nextInt(60);
      for (int k = 0; k < len; k++) {
        sb.appendCodePoint(cps[r.nextInt(cps.length)]);
      }
      parsesOrRejects(sb.toString());
    });
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void randomBytesOnlyEverGiveManifestSyntaxException() {
    RandomCases.run("manifest bytes", 2000, (r, i) -> {
      byte[] bytes = new byte[r.nextInt(40)];
      r.nextBytes(bytes);
      if (bytes.length > 0 && r.nextBoolean()) {
        bytes[0] = '(';
      }
      try {
        PARSER.parse(bytes, "b");
      } catch (ManifestSyntaxException e) {
        assertThat(e.getMessage()).doesNotContain("\n").startsWith("b:");
      }
    });
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void truncatedAndMutatedManifestsOnlyEverGiveManifestSyntaxException() {
    RandomCases.run("manifest mutations", 1000, (r, i) -> {
      String text = r.nextBoolean()
          ? ManifestPrinter.print(ManifestPrinterTest.randomTree(r))
          : SPEC_EXAMPLE;
      int cut = r.nextInt(text.length() + 1);
      if (cut > 0 && cut < text.length() && Character.isLowSurrogate(text.charAt(cut))) {
        cut--;
      }
      parsesOrRejects(text.substring(0, cut));
      StringBuilder mutated = new StringBuilder(text);
      for (int k = 1 + r.nextInt(3); k > 0; k--) {
        int at = r.nextInt(mutated.length());
        char c = GARBAGE_ALPHABET.charAt(r.nextInt(GARBAGE_ALPHABET.length()));
        if (Character.isSurrogate(c) || Character.isSurrogate(mutated.charAt(at))) {
          continue;
        }
        if (r.nextBoolean()) {
          mutated.setCharAt(at, c);
        } else {
          mutated.insert(at, c);
        }
      }
      parsesOrRejects(mutated.toString());
    });
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "(a:b)              | (a:b)",
      "(a:[x y ])         | (a:[x y \"\"])",
      "(\"\":\"\")        | (\"\":\"\")",
  })
  void equivalentSpellings(String text, String same) throws Exception {
    assertThat(parse(text)).isEqualTo(parse(same));
  }

  /** The fixed list of every distinct quirk error reachable from one character after a name. */
  @Test
  void everyNonColonAfterANameIsTheDiscriminatorError() throws Exception {
    for (char c : "|/()[]x\"".toCharArray()) {
      String text = "(a " + c + ":b)";
      ManifestSyntaxException e = error(text);
      assertThat(e.getMessage()).isEqualTo("m.txt:1:4: unknown property discriminator " + (int) c);
    }
    assertThat(List.of(parse("(a :b)"))).containsExactly(t("a", "b"));
  }
}
