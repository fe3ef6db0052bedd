/**
 * The composition root: parses command lines, builds each module's typed configuration once, wires the modules
 * together and closes them in reverse order.
 */
package io.prefpipe.app;
