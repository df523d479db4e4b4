package dev.nanokit.manifest.codec;

import dev.nanokit.manifest.Tuple;
import java.util.ArrayList;

/**
 * The one numbering space of a TFS log (docs/formats/tfs.md, "5 The dictionary (object numbering) — exact rules"): index 1, 2, … maps to an attribute name, a
 * tuple or a vector, in the order the byte stream defined them. Shared by every record of a log, so
 * a whole log can be decoded record by record.
 */
public final class TupleDictionary {
  private final ArrayList<Object> objects = new ArrayList<>();

  /** The number of indices taken so far; the next object gets {@code size() + 1}. */
  public int size() {
    return objects.size();
  }

  /** The object at {@code index}: a {@link String} name, a {@link dev.nanokit.manifest.Tuple} or a {@link dev.nanokit.manifest.VectorValue}; null if undefined. */
  public Object get(long index) {
    if (index < 1 || index > objects.size()) {
      return null;
    }
    return objects.get((int) (index - 1));
  }

  /** The root tuple of a log: object 1, if it is a tuple (docs/formats/tfs.md, "3.5 Reading the whole log"). */
  public Tuple root() {
    return get(1) instanceof Tuple t ? t : null;
  }

  int add(Object o) {
    objects.add(o);
    return objects.size();
  }
}
