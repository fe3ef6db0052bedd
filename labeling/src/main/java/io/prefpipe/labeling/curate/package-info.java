/** Curation of one comparison: decide its pairs, filter what should not train, and account for every judgement. */
package io.prefpipe.labeling.curate;
