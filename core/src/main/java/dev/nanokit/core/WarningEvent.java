package dev.nanokit.core;

/**
 * Something that will probably fail at run time although the image can be written — a library an
 * object in the image needs, found nowhere. One line, without a trailing period; a caller shows these
 * even where it hides {@link NoteEvent notes}.
 *
 * @param message the warning
 *
 * <p>Immutable and safe for use by any number of threads.
 */
public record WarningEvent(String message) implements ImageEvent {}
