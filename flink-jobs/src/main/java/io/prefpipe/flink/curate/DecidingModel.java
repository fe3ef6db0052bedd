package io.prefpipe.flink.curate;

import io.prefpipe.labeling.crowd.AnnotatorModel;
import java.time.Instant;
import java.util.Objects;

/**
 * The annotator model a curation task decides with, and where it came from; recorded in every pair it decides.
 *
 * @param version the estimator's fit it comes from
 * @param fittedAt when it was fitted
 * @param windowVotes how many pairwise votes it was fitted on
 * @param model the model
 */
record DecidingModel(long version, Instant fittedAt, int windowVotes, AnnotatorModel model) {
    DecidingModel {
        Objects.requireNonNull(fittedAt, "fittedAt");
        Objects.requireNonNull(model, "model");
    }
}
