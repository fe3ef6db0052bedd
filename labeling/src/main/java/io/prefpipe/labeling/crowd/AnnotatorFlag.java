package io.prefpipe.labeling.crowd;

/** What an annotator's fitted model says about them; see {@link FlagThresholds} for when each is raised. */
public enum AnnotatorFlag {
    /**
     * Their votes carry almost no information about the truth: the rows of their confusion matrix are nearly the same
     * (Raykar &amp; Yu 2012, "Eliminating spammers and ranking annotators for crowdsourced labeling tasks", JMLR 13).
     * A random clicker is one; so is an annotator who always picks the response shown first.
     */
    SPAMMER,
    /** Their accuracy is well below chance: they mostly answer wrong, on purpose or by misunderstanding the task. */
    ADVERSARIAL,
    /** They pick the response shown first (or the one shown second) much more often than half the time. */
    POSITION_BIASED
}
