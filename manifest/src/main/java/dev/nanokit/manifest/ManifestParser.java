package dev.nanokit.manifest;

import static dev.nanokit.manifest.ManifestCursor.EOF;

import dev.nanokit.manifest.text.StrictUtf8;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Parses Nanos {@code mkfs} manifest text (docs/formats/manifest.md, "1.1 Data model"–"1.4 Where whitespace/comments are skipped") into tuples, vectors and strings,
 * accepting and rejecting exactly what Nanos' {@code tuple_parser.c} does, with two deliberate
 * differences: input that makes Nanos recurse forever ({@code [a)]}) or nest without bound is
 * rejected with a positioned error, and a truncated last tuple is an error even when an earlier
 * complete tuple exists (mkfs would silently keep the earlier one).
 *
 * <p>The parser is iterative, so nesting depth is limited only by {@link #maxDepth()}, never by the
 * Java stack, and it always consumes at least one character per step, so it cannot hang.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ManifestParser {
  /** Default bound on tuple/vector nesting; real manifests are a few dozen levels deep. */
  public static final int DEFAULT_MAX_DEPTH = 1000;

  private final int maxDepth;

  public ManifestParser() {
    this(DEFAULT_MAX_DEPTH);
  }

  private ManifestParser(int maxDepth) {
    if (maxDepth < 1) {
      throw new IllegalArgumentException("maxDepth must be positive: " + maxDepth);
    }
    this.maxDepth = maxDepth;
  }

  /** A parser that accepts at most {@code maxDepth} nested tuples/vectors (the root counts as 1). */
  public ManifestParser withMaxDepth(int maxDepth) {
    return new ManifestParser(maxDepth);
  }

  public int maxDepth() {
    return maxDepth;
  }

  /** Parses a manifest; like mkfs, when several top-level tuples follow each other the last wins. */
  public Tuple parse(String text) throws ManifestSyntaxException {
    return parse(text, null);
  }

  /** As {@link #parse(String)}; {@code fileName} (may be null) prefixes error messages. */
  public Tuple parse(String text, String fileName) throws ManifestSyntaxException {
    List<Tuple> all = parseAll(text, fileName);
    return all.get(all.size() - 1);
  }

  /** Parses UTF-8 manifest bytes; invalid UTF-8 is a positioned error. */
  public Tuple parse(byte[] utf8, String fileName) throws ManifestSyntaxException {
    return parse(decode(utf8, fileName), fileName);
  }

  /** Reads and parses a manifest file; errors name the file as given. */
  public Tuple parse(Path file) throws IOException {
    return parse(Files.readAllBytes(file), file.toString());
  }

  /**
   * Every top-level tuple, in order (at least one). mkfs {@code -t} copies the entries of each of
   * them into the root ("2.1 Command line"), so a caller implementing that needs them all.
   */
  public List<Tuple> parseAll(String text, String fileName) throws ManifestSyntaxException {
    ManifestCursor in = new ManifestCursor(text, fileName);
    List<Tuple> tuples = new ArrayList<>();
    while (true) {
      in.skipBlank();
      int c = in.peek();
      if (c == EOF) {
        break;
      }
      if (c == '{' && tuples.isEmpty()) {
        // The kernel's own words (parse_tuple fail) would not tell the user what went wrong.
        throw in.errorHere("this looks like JSON (an ops config?), not manifest text: a manifest starts with '('");
      }
      if (c != '(') {
        throw in.errorHere("parse_tuple fail, leading char '" + ManifestCursor.display(c) + "'");
      }
      tuples.add((Tuple) container(in));
    }
    if (tuples.isEmpty()) {
      throw in.errorHere("no tuple in manifest (expected '(')");
    }
    return tuples;
  }

  /** As {@link #parseAll(String, String)} for UTF-8 bytes. */
  public List<Tuple> parseAll(byte[] utf8, String fileName) throws ManifestSyntaxException {
    return parseAll(decode(utf8, fileName), fileName);
  }

  /**
   * Parses one value, as Nanos' {@code value_parser} does for command-line settings: a tuple
   * {@code (…)}, a vector {@code […]}, a quoted string, or a bare string. Unlike a value inside a
   * manifest, a bare string here ends at the end of the text, and anything after the value other
   * than whitespace and comments is an error.
   */
  public Value parseValue(String text, String fileName) throws ManifestSyntaxException {
    ManifestCursor in = new ManifestCursor(text, fileName);
    in.skipBlank();
    int c = in.peek();
    Value value;
    if (c == '(' || c == '[') {
      value = container(in);
    } else if (c == ')' || c == ']') {
      throw in.errorHere("unexpected '" + (char) c + "'");
    } else if (c == '"') {
      value = StringValue.of(quoted(in));
    } else {
      // An empty text is the empty string, as in "(a:)".
      value = StringValue.of(bare(in, false));
    }
    in.skipBlank();
    if (in.peek() != EOF) {
      throw in.errorHere("unexpected '" + ManifestCursor.display(in.peek()) + "' after the value");
    }
    return value;
  }

  /** One open tuple or vector on the explicit stack. */
  private static final class Frame {
    final Value container;
    final long openedAt;
    /** For a tuple: the name whose value is the container being parsed above this frame. */
    String pendingName;
    /** For a vector: Nanos skips whitespace right after '[' but not between elements. */
    boolean fresh = true;

    Frame(Value container, long openedAt) {
      this.container = container;
      this.openedAt = openedAt;
    }

    boolean isTuple() {
      return container instanceof Tuple;
    }
  }

  /** Parses the tuple or vector whose '(' or '[' is the current character. */
  private Value container(ManifestCursor in) throws ManifestSyntaxException {
    Deque<Frame> stack = new ArrayDeque<>();
    open(in, stack);
    while (true) {
      Frame f = stack.peek();
      Value done = f.isTuple() ? tupleStep(in, f, stack) : vectorStep(in, f, stack);
      if (done == null) {
        continue;
      }
      stack.pop();
      Frame parent = stack.peek();
      if (parent == null) {
        return done;
      }
      if (parent.isTuple()) {
        ((Tuple) parent.container).put(parent.pendingName, done);
      } else {
        ((VectorValue) parent.container).add(done);
      }
    }
  }

  private void open(ManifestCursor in, Deque<Frame> stack) throws ManifestSyntaxException {
    long at = in.mark();
    boolean tuple = in.peek() == '(';
    if (stack.size() >= maxDepth) {
      throw in.errorHere("nesting deeper than " + maxDepth + " levels");
    }
    in.advance();
    stack.push(new Frame(tuple ? new Tuple() : new VectorValue(), at));
  }

  /**
   * One entry of a tuple, or its closing ')'. Returns the tuple when it closes, else null (an entry
   * was added, or a nested container was opened for the pending name).
   */
  private Value tupleStep(ManifestCursor in, Frame f, Deque<Frame> stack) throws ManifestSyntaxException {
    // Skipped after '(' and after every value (is_end_of_tuple runs behind eat_whitespace).
    in.skipBlank();
    int c = in.peek();
    if (c == EOF) {
      throw unterminated(in, f);
    }
    if (c == ')') {
      in.advance();
      return f.container;
    }
    String name = c == '"' ? quoted(in) : bare(in, true);
    in.skipBlank();
    c = in.peek();
    if (c == EOF) {
      throw unterminated(in, f);
    }
    if (c != ':') {
      // Also what "key: (" ends in: the empty value stops at '(' and '(' starts an empty name.
      throw in.errorHere("unknown property discriminator " + c);
    }
    in.advance();
    c = in.peek();
    // No whitespace skipping before a bracket: parse_value dispatches on the very next character.
    if (c == '(' || c == '[') {
      f.pendingName = name;
      open(in, stack);
      return null;
    }
    in.skipBlank();
    c = in.peek();
    if (c == EOF) {
      throw unterminated(in, f);
    }
    ((Tuple) f.container).put(name, StringValue.of(c == '"' ? quoted(in) : bare(in, false)));
    return null;
  }

  /** One element of a vector, or its closing ']'. Returns the vector when it closes, else null. */
  private Value vectorStep(ManifestCursor in, Frame f, Deque<Frame> stack) throws ManifestSyntaxException {
    if (f.fresh) {
      f.fresh = false;
      in.skipBlank();
    }
    int c = in.peek();
    if (c == EOF) {
      throw unterminated(in, f);
    }
    if (c == ']') {
      in.advance();
      return f.container;
    }
    // Whatever ended the previous element (whitespace included) starts this one, so "[a b ]" gets
    // a third, empty element when the skip below lands on ']'.
    in.skipBlank();
    c = in.peek();
    if (c == EOF) {
      throw unterminated(in, f);
    }
    if (c == ')') {
      // Nanos reads an empty element ending at ')' and hands ')' back to the vector, forever.
      throw in.errorHere("')' inside a vector (expected an element or ']')");
    }
    if (c == '(' || c == '[') {
      open(in, stack);
      return null;
    }
    ((VectorValue) f.container).add(StringValue.of(c == '"' ? quoted(in) : bare(in, false)));
    return null;
  }

  private static ManifestSyntaxException unterminated(ManifestCursor in, Frame f) {
    return f.isTuple()
        ? in.error(f.openedAt, "unterminated tuple (end of input before ')')")
        : in.error(f.openedAt, "unterminated vector (end of input before ']')");
  }

  /**
   * A bare name or value, possibly empty. A name stops at whitespace, brackets, ':', '|' and '/';
   * a value only at whitespace and brackets. '#' and '"' are ordinary characters here.
   */
  private static String bare(ManifestCursor in, boolean name) throws ManifestSyntaxException {
    StringBuilder sb = new StringBuilder();
    while (true) {
      int c = in.peek();
      if (c == EOF || ManifestCursor.isWhitespace(c) || c == '(' || c == ')' || c == '[' || c == ']'
          || (name && (c == ':' || c == '|' || c == '/'))) {
        return sb.toString();
      }
      sb.appendCodePoint(c);
      in.advance();
    }
  }

  /** A quoted string at the current '"'; a backslash makes the next character literal. */
  private static String quoted(ManifestCursor in) throws ManifestSyntaxException {
    long at = in.mark();
    in.advance();
    StringBuilder sb = new StringBuilder();
    while (true) {
      int c = in.peek();
      if (c == '\\') {
        in.advance();
        c = in.peek();
      } else if (c == '"') {
        in.advance();
        return sb.toString();
      }
      if (c == EOF) {
        throw in.error(at, "unterminated quoted string");
      }
      sb.appendCodePoint(c);
      in.advance();
    }
  }

  /** Strict UTF-8 decoding; the error points at the line/column where the bad bytes start. */
  static String decode(byte[] utf8, String fileName) throws ManifestSyntaxException {
    try {
      return StrictUtf8.decode(utf8);
    } catch (StrictUtf8.MalformedException e) {
      StrictUtf8.Malformed m = e.where();
      String what = m.truncated()
          ? String.format("truncated UTF-8 sequence 0x%02X… at end of input", m.badByte())
          : String.format("invalid UTF-8 byte 0x%02X", m.badByte());
      throw new ManifestSyntaxException(fileName, m.line(), m.column(), what);
    }
  }
}
