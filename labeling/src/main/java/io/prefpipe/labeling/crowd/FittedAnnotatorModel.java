package io.prefpipe.labeling.crowd;

import java.io.InvalidObjectException;
import java.io.ObjectStreamException;
import java.util.Objects;

/**
 * What every fitted {@link AnnotatorModel} holds: its classes, its annotators and how many judgements each annotator
 * gave in the fit. Subclasses add their parameters and state their invariants in {@link #check()}, which runs after
 * construction and again after deserialization, so a model received from elsewhere (a broadcast, a checkpoint) is
 * never used unchecked.
 */
abstract class FittedAnnotatorModel implements AnnotatorModel {
    private static final long serialVersionUID = 1L;

    final IdIndex classes;
    final IdIndex annotators;
    final int[] judgements;

    FittedAnnotatorModel(IdIndex classes, IdIndex annotators, int[] judgements) {
        this.classes = Objects.requireNonNull(classes, "classes");
        this.annotators = Objects.requireNonNull(annotators, "annotators");
        this.judgements = judgements.clone();
    }

    /**
     * Throws {@link IllegalArgumentException} if the model's arrays do not fit its classes and annotators. Subclasses
     * call it at the end of their constructor.
     */
    abstract void check();

    /** Runs after the whole object is read, subclass fields included, unlike a readObject of this class. */
    protected final Object readResolve() throws ObjectStreamException {
        try {
            check();
        } catch (IllegalArgumentException e) {
            throw (InvalidObjectException) new InvalidObjectException(e.getMessage()).initCause(e);
        }
        return this;
    }

    @Override
    public final IdIndex classes() {
        return classes;
    }

    @Override
    public final IdIndex annotators() {
        return annotators;
    }
}
