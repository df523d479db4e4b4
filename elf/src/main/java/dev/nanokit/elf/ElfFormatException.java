package dev.nanokit.elf;

import dev.nanokit.NanokitException;

/**
 * A file is not a well-formed ELF object, or a structure inside it points outside the file.
 *
 * <p>Checked and an {@link java.io.IOException} because malformed input is an expected outcome of reading
 * arbitrary files (docs/formats/elf-deps.md, "8 Architectures": a non-ELF candidate library stops the search with an error that
 * must name the file), not a programming error.
 *
 * <p>Immutable.
 */
public final class ElfFormatException extends NanokitException {
  private static final long serialVersionUID = 1L;

  private final String fileName;
  private final String reason;
  private final long offset;

  /**
   * @param fileName the file's name, or null when the bytes came from an unnamed channel
   * @param reason what is wrong, without file name or offset
   * @param offset unsigned byte offset where the problem was detected
   */
  public ElfFormatException(String fileName, String reason, long offset) {
    super((fileName == null ? "" : fileName + ": ") + reason + " at byte offset "
        + Long.toUnsignedString(offset));
    this.fileName = fileName;
    this.reason = reason;
    this.offset = offset;
  }

  /** The name given to the reader (usually the path), if there was one. */
  public java.util.Optional<String> fileName() {
    return java.util.Optional.ofNullable(fileName);
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
