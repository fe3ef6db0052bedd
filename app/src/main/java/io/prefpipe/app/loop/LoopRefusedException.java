package io.prefpipe.app.loop;

import java.io.IOException;

/**
 * The loop will not go on because going on would corrupt what it has made so far: another process runs the same
 * loop, its config changed in a way that matters, or someone else cut snapshots from its curation job. The message
 * says what happened and what to do; nothing was changed.
 */
public final class LoopRefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    public LoopRefusedException(String message) {
        super(message);
    }
}
