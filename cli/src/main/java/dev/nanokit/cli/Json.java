package dev.nanokit.cli;

import dev.nanokit.tfs.TfsExtent;
import dev.nanokit.tfs.TfsNode;
import dev.nanokit.tfs.TfsNodeType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** The JSON forms of {@code --json} output: field order fixed, one document per command. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Json() {}

  static String typeName(TfsNodeType type) {
    return switch (type) {
      case DIRECTORY -> "directory";
      case FILE -> "file";
      case SYMLINK -> "symlink";
    };
  }

  /** name, type, size, mtime (ISO-8601 or null), target (symlinks only). */
  static ObjectNode describe(TfsNode node, String name) throws IOException {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("name", name);
    o.put("type", typeName(node.type()));
    o.put("size", node.size());
    o.put("mtime", node.mtime().map(Object::toString).orElse(null));
    if (node.type() == TfsNodeType.SYMLINK) {
      o.put("target", node.linkTarget());
    }
    return o;
  }

  static ArrayNode extents(TfsNode node) throws IOException {
    ArrayNode a = MAPPER.createArrayNode();
    for (TfsExtent x : node.extents()) {
      ObjectNode e = a.addObject();
      e.put("fileBlock", x.fileBlock());
      e.put("offset", x.offset());
      e.put("length", x.length());
      e.put("allocated", x.allocated());
      e.put("uninited", x.uninited());
    }
    return a;
  }

  /**
   * A manifest value as JSON: a tuple is an object (its keys in their order), a vector an array, a
   * string a string, an integer a number, a buffer its bytes in hex.
   */
  static com.fasterxml.jackson.databind.JsonNode value(dev.nanokit.manifest.Value v) {
    if (v instanceof dev.nanokit.manifest.Tuple t) {
      ObjectNode o = MAPPER.createObjectNode();
      t.entries().forEach((k, x) -> o.set(k, value(x)));
      return o;
    }
    if (v instanceof dev.nanokit.manifest.VectorValue vector) {
      ArrayNode a = MAPPER.createArrayNode();
      vector.elements().forEach(x -> a.add(value(x)));
      return a;
    }
    if (v instanceof dev.nanokit.manifest.StringValue string) {
      return MAPPER.getNodeFactory().textNode(string.text());
    }
    if (v instanceof dev.nanokit.manifest.IntegerValue integer) {
      return MAPPER.getNodeFactory().numberNode(integer.value());
    }
    return MAPPER.getNodeFactory().textNode(java.util.HexFormat.of().formatHex(((dev.nanokit.manifest.BufferValue) v).bytes()));
  }
}
