/** Helpers shared by the packages of this module; not API. */
package io.prefpipe.optimizer.internal;
