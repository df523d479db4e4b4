package dev.nanokit.core;

/**
 * What building an image, or fetching a Nanos release, tells its caller while it works: register
 * handlers with {@code addEventHandler(ImageEvent.class, …)} or for one kind ({@link ProgressEvent},
 * {@link NoteEvent}, {@link WarningEvent}). The library never prints; a command-line tool turns these into a progress bar
 * and lines. Every event is an immutable value.
 */
public sealed interface ImageEvent permits ProgressEvent, NoteEvent, WarningEvent {}
