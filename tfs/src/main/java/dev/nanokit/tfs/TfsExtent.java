package dev.nanokit.tfs;

/**
 * One extent of a regular file (docs/formats/tfs.md, "6.3 Regular files"): file blocks {@code fileBlock … fileBlock+length-1}
 * live at volume blocks {@code offset …}; {@code allocated} blocks are reserved from {@code offset}.
 * An {@code uninited} extent was reserved but never written and reads as zeros.
 *
 * <p>Immutable and safe for use by any number of threads.
 */
public record TfsExtent(long fileBlock, long offset, long length, long allocated, boolean uninited) {}
