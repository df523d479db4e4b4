package dev.nanokit.core;

import java.nio.file.Path;

/**
 * What {@link NanosImage#writeTo} or {@link NanosImage#writeVolumeTo} produced.
 *
 * @param path the image file
 * @param size its length in bytes
 * @param bootable whether it is a partitioned disk with a boot filesystem (else a bare root volume)
 * @param rootOffset byte offset of the root filesystem
 * @param rootUuid UUID of the root filesystem
 * @param rootFreeBytes free bytes the kernel can use in the root filesystem
 *
 * <p>Immutable and safe for use by any number of threads.
 */
public record ImageResult(Path path, long size, boolean bootable, long rootOffset, String rootUuid, long rootFreeBytes) {}
