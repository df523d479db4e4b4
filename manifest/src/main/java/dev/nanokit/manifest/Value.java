package dev.nanokit.manifest;

/**
 * A value in a Nanos tuple tree (docs/formats/tfs.md, "4 Value encoding", docs/formats/manifest.md, "1.1 Data model"): a {@link Tuple}, a {@link VectorValue},
 * a {@link StringValue}, an {@link IntegerValue}, or an untyped {@link BufferValue}.
 *
 * <p>Tuples and vectors are mutable because a TFS log is a sequence of updates applied to objects
 * that earlier records created (docs/formats/tfs.md, "5.5 Update semantics (replay)"); the other kinds are immutable.
 */
public sealed interface Value permits Tuple, VectorValue, StringValue, IntegerValue, BufferValue {}
