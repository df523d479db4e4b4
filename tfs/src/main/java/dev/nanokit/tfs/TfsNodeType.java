package dev.nanokit.tfs;

/**
 * Node kinds, decided as the kernel decides them (docs/formats/tfs.md, "9.2 Reader").
 *
 * <p>Immutable and safe for use by any number of threads.
 */
public enum TfsNodeType {
  DIRECTORY('d'),
  FILE('f'),
  SYMLINK('l');

  private final char letter;

  TfsNodeType(char letter) {
    this.letter = letter;
  }

  /** The one-letter form {@code tfs find -l} prints (docs/cli). */
  public char letter() {
    return letter;
  }
}
