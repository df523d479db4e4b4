package dev.nanokit.manifest;

import dev.nanokit.NanokitException;

/**
 * Bytes that are not a valid tuple encoding (docs/formats/tfs.md, "4 Value encoding" to "5 The dictionary (object numbering) — exact rules"). Carries the offset of the bad byte.
 *
 * <p>Immutable.
 */
public class TupleFormatException extends NanokitException {
  private static final long serialVersionUID = 1L;
  private final String reason;
  private final long offset;

  public TupleFormatException(String reason, long offset) {
    super(reason + " at byte offset " + offset);
    this.reason = reason;
    this.offset = offset;
  }

  /** What is wrong, without the offset: for callers that report their own (absolute) offset. */
  public String reason() {
    return reason;
  }

  /** Offset of the offending byte, relative to the start of what the decoder was given. */
  public long offset() {
    return offset;
  }
}
