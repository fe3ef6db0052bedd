/**
 * The demo: the whole pipeline on embedded defaults, scored against the synthetic world's hidden true reward.
 */
package io.prefpipe.app.demo;
