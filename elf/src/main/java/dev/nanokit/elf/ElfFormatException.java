package dev.nanokit.elf;

import java.io.IOException;

/**
 * A file is not a well-formed ELF object, or a structure inside it points outside the file.
 *
 * <p>Checked and an {@link IOException} because malformed input is an expected outcome of reading
 * arbitrary files (elf-deps.md §8: a non-ELF candidate library stops the search with an error that
 * must name the file), not a programming error.
 */
public final class ElfFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String fileName;
  private final String reason;
  private final long offset;

  public ElfFormatException(String fileName, String reason, long offset) {
    super(fileName + ": " + reason + " at byte offset " + Long.toUnsignedString(offset));
    this.fileName = fileName;
    this.reason = reason;
    this.offset = offset;
  }

  /** The name given to the reader (usually the path). */
  public String fileName() {
    return fileName;
  }

  /** The problem without file name and offset. */
  public String reason() {
    return reason;
  }

  /** Byte offset (unsigned) in the file where the problem was detected. */
  public long offset() {
    return offset;
  }
}
