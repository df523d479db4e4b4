package dev.nanokit.testing.manifest;

import dev.nanokit.manifest.StringValue;
import dev.nanokit.manifest.Tuple;
import dev.nanokit.manifest.Value;
import dev.nanokit.manifest.VectorValue;

/** Short tuple and vector literals for tests; plain strings become string values. */
public final class Values {
  private Values() {}

  public static Value val(Object o) {
    return o instanceof Value v ? v : StringValue.of((String) o);
  }

  /** A tuple from name/value pairs. */
  public static Tuple t(Object... nameValuePairs) {
    Tuple t = new Tuple();
    for (int i = 0; i < nameValuePairs.length; i += 2) {
      t.put((String) nameValuePairs[i], val(nameValuePairs[i + 1]));
    }
    return t;
  }

  public static VectorValue v(Object... elements) {
    VectorValue v = new VectorValue();
    for (Object e : elements) {
      v.add(val(e));
    }
    return v;
  }
}
