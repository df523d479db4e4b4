package dev.nanokit.manifest.codec;

/**
 * The two tuple encodings a TFS log extension may use (docs/formats/tfs.md, "3.2 Extension header", "4.1 Header, version 5", "4.2 Header, version 4 (legacy, read support)"). The version byte of
 * each extension selects one.
 */
public enum TupleEncoding {
  /** Legacy encoding: only tuples and untyped buffers; 5-bit header length field (docs/formats/tfs.md, "4.2 Header, version 4 (legacy, read support)"). */
  V4(4, 6, 0x20, 0x1f),
  /** Current encoding: typed values; 3-bit header length field (docs/formats/tfs.md, "4.1 Header, version 5"). */
  V5(5, 4, 0x08, 0x07);

  private final int version;
  final int typeShift;
  final int extensionBit;
  final int lowMask;

  TupleEncoding(int version, int typeShift, int extensionBit, int lowMask) {
    this.version = version;
    this.typeShift = typeShift;
    this.extensionBit = extensionBit;
    this.lowMask = lowMask;
  }

  /** The version number written in an extension header. */
  public int version() {
    return version;
  }

  /** The encoding for a version number read from disk, or null if it is neither 4 nor 5. */
  public static TupleEncoding forVersion(long version) {
    if (version == 4) {
      return V4;
    }
    if (version == 5) {
      return V5;
    }
    return null;
  }

  int lowBits() {
    return Integer.bitCount(lowMask);
  }
}
