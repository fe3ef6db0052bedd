/**
 * A synthetic feedback world with a known truth: prompts and responses over a small vocabulary, a hidden true reward
 * r* defined for any string, a base response distribution, and simulated annotators of declared behaviours. It drives
 * the demo and the streaming tests and measures whether curation recovers the true preference and whether training
 * raises the true reward.
 */
package io.prefpipe.ingestion.synthetic;
