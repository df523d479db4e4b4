package dev.nanokit.tfs;

/**
 * One extension of a volume's metadata log (docs/formats/tfs.md, "3.2 Extension header"), in chain order.
 *
 * @param startBlock first block, relative to the filesystem start
 * @param blocks length in 512-byte blocks
 * @param version tuple encoding version of its records (4 or 5)
 *
 * <p>Immutable and safe for use by any number of threads.
 */
public record LogExtension(long startBlock, long blocks, int version) {}
