package dev.nanokit.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One ELF note (a PT_NOTE segment entry): owner name, type and descriptor bytes. Immutable; the
 * descriptor is copied in and out because notes come from untrusted files and callers must not be
 * able to change what another caller sees.
 *
 * <p>Type numbers are only meaningful together with the owner name ("GNU", "Xen", …), which is why
 * the well-known ones are exposed as typed accessors on {@link ElfFile} (build-id, ABI tag, PVH
 * entry) rather than as bare constants for callers to compare.
 */
public final class ElfNote {
  /** "GNU" NT_GNU_ABI_TAG: minimum kernel ABI, four 32-bit words. */
  public static final int NT_GNU_ABI_TAG = 1;
  /** "GNU" NT_GNU_BUILD_ID. */
  public static final int NT_GNU_BUILD_ID = 3;
  /** "GNU" NT_GNU_PROPERTY_TYPE_0 (CET/BTI properties). */
  public static final int NT_GNU_PROPERTY_TYPE_0 = 5;
  /** "Xen" XEN_ELFNOTE_ENTRY: paravirtual entry point (virtual address). */
  public static final int XEN_ELFNOTE_ENTRY = 1;
  /** "Xen" XEN_ELFNOTE_PHYS32_ENTRY: 32-bit physical PVH entry point, used for direct kernel boot. */
  public static final int XEN_ELFNOTE_PHYS32_ENTRY = 18;

  private final String name;
  private final int type;
  private final byte[] descriptor;
  private final long offset;
  private final ByteOrder order;

  ElfNote(String name, int type, byte[] descriptor, long offset, ByteOrder order) {
    this.name = name;
    this.type = type;
    this.descriptor = descriptor.clone();
    this.offset = offset;
    this.order = order;
  }

  /** Owner name without its terminating NUL, e.g. {@code GNU} or {@code Xen}. */
  public String name() {
    return name;
  }

  /** Note type, interpreted relative to {@link #name()}. */
  public int type() {
    return type;
  }

  /** A copy of the descriptor bytes. */
  public byte[] descriptor() {
    return descriptor.clone();
  }

  public int descriptorSize() {
    return descriptor.length;
  }

  /** File offset of the note header, for error messages and tooling. */
  public long offset() {
    return offset;
  }

  /** Descriptor as lower-case hex (build-ids are conventionally shown like this). */
  public String descriptorHex() {
    return HexFormat.of().formatHex(descriptor);
  }

  /** The descriptor as a read-only buffer in the file's byte order. */
  ByteBuffer buffer() {
    return ByteBuffer.wrap(descriptor).order(order).asReadOnlyBuffer().order(order);
  }

  boolean is(String owner, int noteType) {
    return name.equals(owner) && type == noteType;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ElfNote n && n.type == type && n.offset == offset && n.name.equals(name)
        && Arrays.equals(n.descriptor, descriptor);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, offset, Arrays.hashCode(descriptor));
  }

  @Override
  public String toString() {
    return "ElfNote[" + name + ", type=" + type + ", desc=" + descriptorHex() + "]";
  }
}
