/** Judgements over 2..K responses and their decomposition into votes on pairs of responses. */
package io.prefpipe.labeling.pairwise;
