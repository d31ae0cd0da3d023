package catdog.streaming.pipeline;

import java.util.OptionalInt;

/** What the pipeline needs of an image, whichever input format brought it. */
record ImageInput(String id, byte[] image, long producedAtMs, OptionalInt knownLabel) {}
