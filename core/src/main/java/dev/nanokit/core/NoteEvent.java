package dev.nanokit.core;

/**
 * Something the caller should know that does not stop the work: a default file added or left out,
 * an entry that replaced another, a library not found. One line, without a trailing period.
 *
 * @param message the note
 *
 * <p>Immutable and safe for use by any number of threads.
 */
public record NoteEvent(String message) implements ImageEvent {}
